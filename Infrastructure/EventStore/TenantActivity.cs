using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// How many rows PostgreSQL's statistics count as written into one tenant's partitions: of <c>emt_messages</c> (inserted)
/// and of <c>emt_subscriptions</c> (inserted, updated or deleted). The figures only grow while the partition lives, so a
/// change tells that someone wrote; a partition dropped and made again counts from zero.
/// </summary>
public sealed record TenantWrites(TenantId Tenant, long Messages, long Checkpoints);

/// <summary>
/// Which tenants were written to, for every tenant at once, without touching any tenant's table: a sweep's way to find
/// what writers that announce nothing appended (Emmett's Node client), and cursors someone else moved.
/// </summary>
/// <remarks>
/// NOTE: a statement over the partitioned tables themselves plans and locks every partition: measured at 1 000 tenants,
/// 1.4 s for one that reads each tenant's newest message. The statistics are read from shared memory instead: a few
/// milliseconds per 1 000 tenants, no lock on any table. They are published by each session after its transaction, at
/// most once a second: a session that wrote less than a second after it last published, and then went idle, publishes
/// about 10 s later (PostgreSQL 15's PGSTAT_IDLE_INTERVAL). Not thread-safe: one sweep uses it.
/// </remarks>
public sealed class TenantActivity(PostgresDatabase database)
{
    /// <summary>The tenant each partition (by oid) holds, learned once per partition: reading a partition's bound is the costly part.</summary>
    private readonly Dictionary<uint, TenantId?> tenantsOfPartitions = new();

    /// <summary>The tables whose writes are no tenant's (<see cref="DatabaseWritesAsync"/>), found once.</summary>
    private uint[]? notTenants;

    /// <summary>
    /// Rows written into tenants' tables of this database, by the statistics: the database's count less that of the
    /// tables that are no tenant's. Unchanged means nobody wrote into any tenant's table, so no tenant needs a look (one
    /// statement, however many tenants).
    /// </summary>
    /// <remarks>
    /// NOTE: the catalog is written whenever a tenant is onboarded, the partition pool makes a set or autovacuum analyses
    /// a table, and CartGraph's own tables (the pool's, the read models) by what is no tenant's append. Counted, each made
    /// the sweep read every tenant's figures twice: 110 ms of PostgreSQL's time each at 10 000 tenants. Tables made after
    /// this instance started count as tenants': a look too many, never one missed.
    /// </remarks>
    public async Task<long> DatabaseWritesAsync(CancellationToken ct)
    {
        notTenants ??= await NotTenantsAsync(ct);
        await using var command = database.Commands.CreateCommand("""
            SELECT pg_stat_get_db_tuples_inserted(d.oid) + pg_stat_get_db_tuples_updated(d.oid) + pg_stat_get_db_tuples_deleted(d.oid)
                   - (SELECT coalesce(sum(pg_stat_get_tuples_inserted(t) + pg_stat_get_tuples_updated(t) + pg_stat_get_tuples_deleted(t)), 0)
                        FROM unnest($1::oid[]) t)::bigint
              FROM pg_database d WHERE d.datname = current_database()
            """);
        command.Parameters.Add(new NpgsqlParameter<uint[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid, TypedValue = notTenants });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The catalog's tables, and those of the event store's schema that are no partition and no tenant's or pooled
    /// (every table of a tenant is named emt_…, of a pooled set cartgraph_pool_…), with their TOAST tables. One read of
    /// pg_class, by a scan of all of it.
    /// </summary>
    private async Task<uint[]> NotTenantsAsync(CancellationToken ct)
    {
        await using var command = database.Commands.CreateCommand("""
            WITH fixed AS (
                SELECT c.oid, c.reltoastrelid FROM pg_class c
                 WHERE c.relkind IN ('r', 'm') AND NOT c.relispartition
                   AND (c.relnamespace = 'pg_catalog'::regnamespace
                        OR c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'emt_messages'::regclass)
                           AND c.relname !~ '^(emt_|cartgraph_pool_)'))
            SELECT oid FROM fixed UNION ALL SELECT reltoastrelid FROM fixed WHERE reltoastrelid <> 0
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var oids = new List<uint>();
        while (await reader.ReadAsync(ct)) oids.Add(reader.GetFieldValue<uint>(0));
        return [.. oids];
    }

    /// <summary>Every tenant with what was written into its partitions.</summary>
    public async Task<IReadOnlyList<TenantWrites>> ReadAsync(CancellationToken ct)
    {
        var partitions = await PartitionsAsync(ct);
        var unknown = partitions.Keys.Where(oid => !tenantsOfPartitions.ContainsKey(oid)).ToArray();
        if (unknown.Length > 0) await LearnTenantsAsync(unknown, ct);
        foreach (var gone in tenantsOfPartitions.Keys.Where(oid => !partitions.ContainsKey(oid)).ToList()) tenantsOfPartitions.Remove(gone);

        var writes = new Dictionary<TenantId, (long Messages, long Checkpoints)>();
        foreach (var (oid, (checkpoints, rows)) in partitions)
        {
            if (tenantsOfPartitions.GetValueOrDefault(oid) is not { } tenant) continue;
            var (m, c) = writes.GetValueOrDefault(tenant);
            writes[tenant] = checkpoints ? (m, c + rows) : (m + rows, c);
        }
        return writes.Select(w => new TenantWrites(w.Key, w.Value.Messages, w.Value.Checkpoints)).ToList();
    }

    /// <summary>Each tenant's partition of emt_messages and of emt_subscriptions, with the rows its tables were written.</summary>
    private async Task<Dictionary<uint, (bool Checkpoints, long Rows)>> PartitionsAsync(CancellationToken ct)
    {
        // A tenant's partition of emt_messages (in its bucket, b) is itself partitioned (active, archived): its leaves hold the figures.
        await using var command = database.Commands.CreateCommand("""
            SELECT t.inhrelid, b.inhparent = 'emt_subscriptions'::regclass,
                   sum(pg_stat_get_tuples_inserted(r.oid)
                       + CASE WHEN b.inhparent = 'emt_subscriptions'::regclass
                              THEN pg_stat_get_tuples_updated(r.oid) + pg_stat_get_tuples_deleted(r.oid) ELSE 0 END)::bigint
              FROM pg_inherits b
              JOIN pg_inherits t ON t.inhparent = b.inhrelid
              CROSS JOIN LATERAL (SELECT t.inhrelid UNION ALL SELECT l.inhrelid FROM pg_inherits l WHERE l.inhparent = t.inhrelid) r(oid)
             WHERE b.inhparent IN ('emt_messages'::regclass, 'emt_subscriptions'::regclass) AND NOT t.inhdetachpending
             GROUP BY 1, 2
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var partitions = new Dictionary<uint, (bool, long)>();
        while (await reader.ReadAsync(ct)) partitions[reader.GetFieldValue<uint>(0)] = (reader.GetBoolean(1), reader.GetInt64(2));
        return partitions;
    }

    /// <summary>Each partition's value (its tenant), read from its bound <c>FOR VALUES IN ('…')</c> (<see cref="PartitionBounds"/>).</summary>
    private async Task LearnTenantsAsync(uint[] partitions, CancellationToken ct)
    {
        await using var command = database.Commands.CreateCommand($"""
            SELECT c.oid, {PartitionBounds.ValueOfC}
              FROM pg_class c WHERE c.oid = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter<uint[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid, TypedValue = partitions });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            TenantId? tenant = null; // Emmett's own 'emt:default' is no tenant
            if (!reader.IsDBNull(1)) TenantId.Create(reader.GetString(1)).IfSuccess(t => tenant = t);
            tenantsOfPartitions[reader.GetFieldValue<uint>(0)] = tenant;
        }
    }
}
