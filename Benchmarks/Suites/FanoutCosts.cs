using System.Diagnostics;
using Npgsql;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// What a stretch of the fan-out run cost, and whom: the database commands the API process sent (Npgsql's count, in
/// that process), the transactions of the whole database (every backend's, autovacuum's included) and the autovacuum
/// and autoanalyze runs among them, and the CPU time of the API, of this process (the clients) and of PostgreSQL.
/// </summary>
internal sealed record FanoutCosts(
    TimeSpan Elapsed, double ApiCommands, long Transactions, long AutovacuumRuns, double ApiCpu, double ClientCpu, double PostgresCpu)
{
    /// <summary>Measures from now until the returned function is called.</summary>
    public static async Task<Func<Task<FanoutCosts>>> StartAsync(BenchContext context, NpgsqlCommands commands, int apiProcess)
    {
        var postgres = await ProcessCpu.PostgresProcessesAsync(context.Database.Dedicated);
        var before = await SnapshotAsync();
        return async () => await SnapshotAsync() - before;

        async Task<FanoutCosts> SnapshotAsync()
        {
            var (transactions, autovacuum) = await DatabaseAsync(context);
            return new FanoutCosts(
                Stopwatch.GetElapsedTime(0), await commands.CountAsync(), transactions, autovacuum,
                ProcessCpu.CpuSeconds([apiProcess]), ProcessCpu.CpuSeconds([Environment.ProcessId]), ProcessCpu.CpuSeconds(postgres));
        }
    }

    public static FanoutCosts operator -(FanoutCosts after, FanoutCosts before) => new(
        after.Elapsed - before.Elapsed, after.ApiCommands - before.ApiCommands, after.Transactions - before.Transactions,
        after.AutovacuumRuns - before.AutovacuumRuns, after.ApiCpu - before.ApiCpu, after.ClientCpu - before.ClientCpu,
        after.PostgresCpu - before.PostgresCpu);

    /// <summary>The database's transactions and its tables' autovacuum and autoanalyze runs so far (flushed at most once a second).</summary>
    private static async Task<(long Transactions, long AutovacuumRuns)> DatabaseAsync(BenchContext context)
    {
        await using var connection = new NpgsqlConnection(context.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT pg_stat_clear_snapshot();
            SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()),
                   (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0)::bigint FROM pg_stat_all_tables)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0) - 2, reader.GetInt64(1)); // this query's own transaction and the connection's
    }
}
