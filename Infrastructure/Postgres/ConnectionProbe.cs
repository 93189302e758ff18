using Npgsql;

namespace CartGraph.Infrastructure.Postgres;

public static class ConnectionProbe
{
    /// <summary>
    /// The server version once a connection succeeds, or null at the deadline. A refused password is thrown at once:
    /// waiting does not make it right.
    /// NOTE: pg_ctl -w already waits for "ready"; this covers the gap until TCP connections are served.
    /// </summary>
    public static async Task<string?> WaitUntilAcceptingAsync(string connectionString, TimeSpan timeout, CancellationToken ct)
    {
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 2 }.ConnectionString;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(ct);
                return connection.PostgreSqlVersion.ToString();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !IsRefusedLogin(e) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !IsRefusedLogin(e))
            {
                return null;
            }
        }
    }

    /// <summary>The server said no to these credentials (wrong password, or no rule for this client).</summary>
    public static bool IsRefusedLogin(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification };
}
