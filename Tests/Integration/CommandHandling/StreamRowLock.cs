using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Tests.Integration.CommandHandling;

/// <summary>
/// Holds a stream's row locked in an open transaction, as a slow writer would: an append to the stream waits until it
/// ends, and commands sent meanwhile queue up behind that append.
/// </summary>
internal sealed class StreamRowLock : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly int pid;

    private StreamRowLock(NpgsqlConnection connection, NpgsqlTransaction transaction, int pid) =>
        (this.connection, this.transaction, this.pid) = (connection, transaction, pid);

    public static Task<StreamRowLock> TakeAsync(StoreDatabase db, TenantId tenant, string streamId) =>
        TakeAsync(db.ConnectionString, tenant, streamId);

    public static async Task<StreamRowLock> TakeAsync(string connectionString, TenantId tenant, string streamId)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_backend_pid() FROM emt_streams WHERE partition = $1 AND stream_id = $2 AND NOT is_archived FOR UPDATE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        var pid = (int)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No stream {streamId}"));
        return new StreamRowLock(connection, transaction, pid);
    }

    /// <summary>Returns once another session waits for this lock (an append is blocked behind it).</summary>
    public async Task WaiterAsync(StoreDatabase db)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(10); waited += TimeSpan.FromMilliseconds(10))
        {
            if (await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))", pid) > 0) return;
            await Task.Delay(10);
        }
        throw new TimeoutException("No append waited for the stream's row lock.");
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.RollbackAsync();
        await connection.DisposeAsync();
    }
}
