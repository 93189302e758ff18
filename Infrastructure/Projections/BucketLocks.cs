using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Who processes a bucket of tenants: whoever holds its session advisory lock, on a connection of its own. A session that
/// ends (its instance died) lets its locks go with it.
/// </summary>
internal static class BucketLocks
{
    /// <summary>The first key of every bucket's lock ("CGPB"), the bucket the second: pg_locks shows them as classid, objid.</summary>
    private const int Space = 0x43475042;

    /// <summary>Takes the locks of those buckets no other session holds; returns the buckets taken. One round trip.</summary>
    public static async Task<IReadOnlyList<int>> TryAcquireAsync(NpgsqlConnection session, IReadOnlyCollection<int> buckets, CancellationToken ct)
    {
        if (buckets.Count == 0) return [];
        await using var command = new NpgsqlCommand("SELECT b FROM unnest($2::int[]) b WHERE pg_try_advisory_lock($1, b)", session);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Space });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = buckets.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var taken = new List<int>();
        while (await reader.ReadAsync(ct)) taken.Add(reader.GetInt32(0));
        return taken;
    }

    public static async Task ReleaseAsync(NpgsqlConnection session, IReadOnlyCollection<int> buckets, CancellationToken ct)
    {
        if (buckets.Count == 0) return;
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, b) FROM unnest($2::int[]) b", session);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Space });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = buckets.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The other live instances (sessions of this database named <paramref name="applicationName"/>, each an instance's lock
    /// session) with the buckets each owns, and every bucket any other session holds: one round trip, whatever the tenant count.
    /// </summary>
    public static async Task<(IReadOnlyList<IReadOnlySet<int>> OtherInstances, IReadOnlySet<int> HeldElsewhere)> SurveyAsync(
        NpgsqlConnection session, string applicationName, CancellationToken ct)
    {
        const string Held = """
            SELECT objid::int FROM pg_locks
             WHERE locktype = 'advisory' AND classid = $1::oid AND objsubid = 2 AND granted
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """;
        await using var batch = new NpgsqlBatch(session)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"""
                    SELECT ARRAY({Held} AND pid = a.pid) FROM pg_stat_activity a
                     WHERE a.application_name = $2 AND a.datname = current_database() AND a.pid <> pg_backend_pid()
                    """) { Parameters = { new NpgsqlParameter<int> { TypedValue = Space }, new NpgsqlParameter<string> { TypedValue = applicationName } } },
                new NpgsqlBatchCommand($"{Held} AND pid <> pg_backend_pid()") { Parameters = { new NpgsqlParameter<int> { TypedValue = Space } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var instances = new List<IReadOnlySet<int>>();
        while (await reader.ReadAsync(ct)) instances.Add(reader.GetFieldValue<int[]>(0).ToHashSet());
        await reader.NextResultAsync(ct);
        var held = new HashSet<int>();
        while (await reader.ReadAsync(ct)) held.Add(reader.GetInt32(0));
        return (instances, held);
    }
}
