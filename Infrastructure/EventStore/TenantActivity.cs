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
/// What the statistics count as changed in the database: rows written into tenants' tables, and rows of pg_inherits
/// written (partitions attached or detached: tenants onboarded or dropped, sets of tables pooled). Equal twice, nothing
/// to look at.
/// </summary>
public sealed record DatabaseChanges(long TenantWrites, long Partitions);

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

    /// <summary>The tables whose writes are no tenant's (<see cref="ChangesAsync"/>), found once.</summary>
    private uint[]? notTenants;

    /// <summary>Which tables of which partitions hold the figures, and the count of pg_inherits' rows written it was read at.</summary>
    private PartitionLayout? layout;
    private long layoutAt = -1;
    private long partitionsChanged;

    /// <summary>
    /// Rows written into tenants' tables of this database, by the statistics (the database's count less that of the
    /// tables that are no tenant's), and rows of pg_inherits written: one statement, however many tenants.
    /// </summary>
    /// <remarks>
    /// NOTE: the catalog is written whenever a tenant is onboarded, the partition pool makes a set or autovacuum analyses
    /// a table, and CartGraph's own tables (the pool's, the read models) by what is no tenant's append. Counted as writes,
    /// each made the sweep read every tenant's figures twice. Tables made after this instance started count as
    /// tenants': a look too many, never one missed.
    /// </remarks>
    public async Task<DatabaseChanges> ChangesAsync(CancellationToken ct)
    {
        notTenants ??= await NotTenantsAsync(ct);
        await using var command = database.Commands.CreateCommand("""
            SELECT pg_stat_get_db_tuples_inserted(d.oid) + pg_stat_get_db_tuples_updated(d.oid) + pg_stat_get_db_tuples_deleted(d.oid)
                   - (SELECT coalesce(sum(pg_stat_get_tuples_inserted(t) + pg_stat_get_tuples_updated(t) + pg_stat_get_tuples_deleted(t)), 0)
                        FROM unnest($1::oid[]) t)::bigint,
                   pg_stat_get_tuples_inserted('pg_inherits'::regclass) + pg_stat_get_tuples_updated('pg_inherits'::regclass)
                   + pg_stat_get_tuples_deleted('pg_inherits'::regclass)
              FROM pg_database d WHERE d.datname = current_database()
            """);
        command.Parameters.Add(new NpgsqlParameter<uint[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid, TypedValue = notTenants });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        partitionsChanged = reader.GetInt64(1);
        return new DatabaseChanges(reader.GetInt64(0), partitionsChanged);
    }

    /// <summary>
    /// The catalog's tables, and those of the event store's schema that are no partition and no tenant's or pooled
    /// (every table of a tenant is named emt_…, of a pooled set cartgraph_pool_…), with their TOAST tables. One read of
    /// pg_class, by a scan of all of it. Not the catalogs shared by every database (pg_database, pg_shdepend, …): their
    /// writes, from any database's sessions, are in no database's count, and subtracted they moved it whenever any
    /// database was created or dropped.
    /// </summary>
    private async Task<uint[]> NotTenantsAsync(CancellationToken ct)
    {
        await using var command = database.Commands.CreateCommand("""
            WITH fixed AS (
                SELECT c.oid, c.reltoastrelid FROM pg_class c
                 WHERE c.relkind IN ('r', 'm') AND NOT c.relispartition AND NOT c.relisshared
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

    /// <summary>
    /// Every tenant with what was written into its partitions. The partitions and their tables are read again only when
    /// pg_inherits was written since (<see cref="ChangesAsync"/>): that read walks every bucket's partitions (80 ms at
    /// 10 000 tenants); the figures of the tables known are one look-up each in shared memory (15 ms there).
    /// </summary>
    public async Task<IReadOnlyList<TenantWrites>> ReadAsync(CancellationToken ct)
    {
        if (layout is null || layoutAt != partitionsChanged)
        {
            layoutAt = partitionsChanged;
            layout = await LayoutAsync(ct);
            var unknown = layout.Checkpoints.Keys.Where(oid => !tenantsOfPartitions.ContainsKey(oid)).ToArray();
            if (unknown.Length > 0) await LearnTenantsAsync(unknown, ct);
            foreach (var gone in tenantsOfPartitions.Keys.Where(oid => !layout.Checkpoints.ContainsKey(oid)).ToList()) tenantsOfPartitions.Remove(gone);
        }

        var writes = new Dictionary<TenantId, (long Messages, long Checkpoints)>();
        foreach (var (oid, rows) in await FiguresAsync(layout, ct))
        {
            if (tenantsOfPartitions.GetValueOrDefault(oid) is not { } tenant) continue;
            var (m, c) = writes.GetValueOrDefault(tenant);
            writes[tenant] = layout.Checkpoints[oid] ? (m, c + rows) : (m + rows, c);
        }
        return writes.Select(w => new TenantWrites(w.Key, w.Value.Messages, w.Value.Checkpoints)).ToList();
    }

    /// <summary>Each tenant's partition of emt_messages and of emt_subscriptions (whether it is the latter), and the tables holding its figures.</summary>
    private sealed record PartitionLayout(uint[] Tables, uint[] PartitionOfTable, bool[] CheckpointTable, Dictionary<uint, bool> Checkpoints);

    private async Task<PartitionLayout> LayoutAsync(CancellationToken ct)
    {
        // A tenant's partition of emt_messages (in its bucket, b) is itself partitioned (active, archived): its leaves hold the figures.
        await using var command = database.Commands.CreateCommand("""
            SELECT r.oid, t.inhrelid, b.inhparent = 'emt_subscriptions'::regclass
              FROM pg_inherits b
              JOIN pg_inherits t ON t.inhparent = b.inhrelid
              CROSS JOIN LATERAL (SELECT t.inhrelid UNION ALL SELECT l.inhrelid FROM pg_inherits l WHERE l.inhparent = t.inhrelid) r(oid)
             WHERE b.inhparent IN ('emt_messages'::regclass, 'emt_subscriptions'::regclass) AND NOT t.inhdetachpending
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        List<uint> tables = [], partitions = [];
        List<bool> checkpointTables = [];
        var checkpoints = new Dictionary<uint, bool>();
        while (await reader.ReadAsync(ct))
        {
            tables.Add(reader.GetFieldValue<uint>(0));
            partitions.Add(reader.GetFieldValue<uint>(1));
            checkpointTables.Add(reader.GetBoolean(2));
            checkpoints[reader.GetFieldValue<uint>(1)] = reader.GetBoolean(2);
        }
        return new PartitionLayout([.. tables], [.. partitions], [.. checkpointTables], checkpoints);
    }

    /// <summary>The rows written into each partition's tables: inserted for messages; inserted, updated or deleted for checkpoints.</summary>
    private async Task<List<(uint Partition, long Rows)>> FiguresAsync(PartitionLayout known, CancellationToken ct)
    {
        await using var command = database.Commands.CreateCommand("""
            SELECT u.p, sum(pg_stat_get_tuples_inserted(u.t)
                            + CASE WHEN u.c THEN pg_stat_get_tuples_updated(u.t) + pg_stat_get_tuples_deleted(u.t) ELSE 0 END)::bigint
              FROM unnest($1::oid[], $2::oid[], $3::bool[]) AS u(t, p, c)
             GROUP BY u.p
            """);
        command.Parameters.Add(new NpgsqlParameter<uint[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid, TypedValue = known.Tables });
        command.Parameters.Add(new NpgsqlParameter<uint[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid, TypedValue = known.PartitionOfTable });
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = known.CheckpointTable });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var figures = new List<(uint, long)>(known.Checkpoints.Count);
        while (await reader.ReadAsync(ct)) figures.Add((reader.GetFieldValue<uint>(0), reader.GetInt64(1)));
        return figures;
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
