using System.Globalization;
using System.Text;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>
/// Our settings live in their own file, <c>cartgraph.conf</c>, rewritten at each start (the port and fsync
/// may change) and included from <c>postgresql.conf</c>, so <c>ALTER SYSTEM</c> still overrides them.
/// </summary>
public static class ServerSettings
{
    public const string FileName = "cartgraph.conf";
    const string Include = "include_if_exists = '" + FileName + "'";

    public static void Write(string dataDirectory, int port, LocalPostgresOptions options)
    {
        var lines = new[]
        {
            "# Written by CartGraph at each start; edits are lost. Loopback only, and a password for every client (pg_hba.conf).",
            "listen_addresses = '127.0.0.1'",
            $"port = {port.ToString(CultureInfo.InvariantCulture)}",
            $"unix_socket_directories = {Quote(SocketDirectory(dataDirectory, port))}",
            $"fsync = {(options.Fsync ? "on" : "off")}",
            $"max_connections = {options.MaxConnections.ToString(CultureInfo.InvariantCulture)}",
            $"shared_buffers = {Quote(options.SharedBuffers)}",
        };
        ServerFile.Write(Path.Combine(dataDirectory, FileName), lines);

        var main = Path.Combine(dataDirectory, "postgresql.conf");
        if (!File.ReadLines(main).Any(line => line.Trim() == Include))
            File.AppendAllText(main, $"\n{Include}\n");
    }

    // NOTE: the socket lives in the data directory, which only the server's account may enter (0700), and it asks for
    // the password too. A Unix socket path must fit in 107 bytes; in a deep data directory we go TCP-only ('') rather
    // than fail. Never /var/run/postgresql: that belongs to the system's own clusters.
    static string SocketDirectory(string dataDirectory, int port) =>
        Encoding.UTF8.GetByteCount($"{dataDirectory}/.s.PGSQL.{port}") < 100 ? dataDirectory : "";

    static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
