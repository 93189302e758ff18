namespace CartGraph.Infrastructure.Postgres;

/// <summary>The local PostgreSQL cluster could not be prepared, started or stopped.</summary>
public class LocalPostgresException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No PostgreSQL server binaries on this machine; the message is one line saying what to do.</summary>
public sealed class PostgresBinariesNotFoundException() : LocalPostgresException(
    "PostgreSQL server binaries not found (pg_ctl and initdb in /usr/lib/postgresql/*/bin or on PATH): "
    + "install postgresql (apt-get install postgresql) or set ConnectionStrings__EventStore");
