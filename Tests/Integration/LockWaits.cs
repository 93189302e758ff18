using System.Collections.Concurrent;
using Npgsql;

namespace CartGraph.Tests.Integration;

/// <summary>
/// Samples <c>pg_locks</c> while it runs: every session that waits for a lock held (or queued ahead) by a session of
/// the given application name, how long it has waited (<c>waitstart</c>), and whether the relation existed when
/// sampling began (a table the watched work just created is no other tenant's).
/// </summary>
internal sealed class LockWaits : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<(int Pid, DateTime Since), Wait> waits = new();
    private readonly Task sampling;

    private LockWaits(NpgsqlConnection connection, string blocker, HashSet<long> existing)
    {
        sampling = Task.Run(async () =>
        {
            await using var _ = connection;
            await using var command = new NpgsqlCommand("""
                SELECT l.pid, coalesce(l.waitstart, now()), extract(epoch FROM clock_timestamp() - coalesce(l.waitstart, now()))::float8 * 1000,
                       l.relation::bigint, coalesce(l.relation::regclass::text, l.locktype), l.mode, left(w.query, 200)
                  FROM pg_locks l JOIN pg_stat_activity w ON w.pid = l.pid
                 WHERE NOT l.granted
                   AND EXISTS (SELECT 1 FROM pg_stat_activity b WHERE b.application_name = $1 AND b.pid = ANY (pg_blocking_pids(l.pid)))
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = blocker });
            while (!stop.IsCancellationRequested)
            {
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var relation = reader.IsDBNull(3) ? (long?)null : reader.GetInt64(3);
                    var wait = new Wait(reader.GetDouble(2), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                        relation is { } oid && existing.Contains(oid));
                    waits.AddOrUpdate((reader.GetInt32(0), reader.GetDateTime(1)), wait, (_, seen) => seen.Ms >= wait.Ms ? seen : wait);
                }
                await Task.Delay(1); // a sample every millisecond or two, without taking a core from the work it watches
            }
        });
    }

    /// <summary>One wait, at the longest it was seen.</summary>
    public sealed record Wait(double Ms, string Relation, string Mode, string Query, bool OnExistingRelation)
    {
        public override string ToString() => $"{Ms:0.0} ms for {Mode} on {Relation}{(OnExistingRelation ? " (existing)" : "")}: {Query}";
    }

    public IReadOnlyList<Wait> Seen => waits.Values.OrderByDescending(w => w.Ms).ToList();

    public static async Task<LockWaits> StartAsync(NpgsqlDataSource dataSource, string blocker)
    {
        var connection = await dataSource.OpenConnectionAsync();
        var existing = new HashSet<long>();
        await using (var command = new NpgsqlCommand("SELECT oid::bigint FROM pg_class", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) existing.Add(reader.GetInt64(0));
        return new LockWaits(connection, blocker, existing);
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await StopAsync();
        stop.Dispose();
    }
}
