using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Whether a failure to apply messages lies in the messages (their stream is parked) or in reaching the database
/// (the batch is tried again, as it is when the connection drops).
/// </summary>
internal static class PoisonMessage
{
    /// <summary>
    /// The projection's own exceptions (unreadable data, an unknown version, a bug) and PostgreSQL refusing the data it
    /// wrote (SQLSTATE classes 22 data exception, 23 integrity constraint, P0001 raised by a trigger). Everything else
    /// from the driver (connection lost, timeout, deadlock, an object missing) is not the message's fault.
    /// </summary>
    public static bool Is(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("22", StringComparison.Ordinal)
                               || p.SqlState.StartsWith("23", StringComparison.Ordinal)
                               || p.SqlState == PostgresErrorCodes.RaiseException,
        NpgsqlException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException => false,
        _ => true,
    };

    /// <summary>The error as an operator reads it in <c>parked list</c>: what went wrong, without a stack trace.</summary>
    public static string Describe(Exception e) => e is PostgresException p
        ? $"PostgreSQL {p.SqlState}: {p.MessageText}"
        : $"{e.GetType().Name}: {e.Message}";
}
