using System.Collections.Concurrent;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Tests.Integration.Projections;
using Npgsql;
using Xunit.Abstractions;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// A tenant is onboarded while the others read and write: its partitions are made without a lock on any parent
/// that a read or a write would wait for, so no other tenant's statement is held up and onboarding never times out.
/// </summary>
public sealed class OnboardingSpecs(StoreDatabase db, ITestOutputHelper output) : IClassFixture<StoreDatabase>
{
    // The moment between an onboarding's commit and the release of its locks: 1 to 5 ms measured on a quiet machine,
    // tens of ms on a loaded one. The bound only tells that moment apart from a wait for the whole onboarding.
    private const double CommitMoment = 250;

    // Lock modes that a reader (ACCESS SHARE) or a writer (ROW EXCLUSIVE) would wait for.
    private static readonly string[] Blocking = ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a set of tables staged ahead (migration 0014): they become the tenant's, so they are not "existing"
    public async Task Onboarding_locks_no_existing_table_in_a_mode_that_a_read_or_a_write_waits_for(bool pooled)
    {
        await db.Tenants.ProvisionAsync(StoreDatabase.NewTenant());
        var pool = new PartitionPool(db.Postgres);
        await pool.EmptyAsync();
        if (pooled) Assert.Equal(1, await pool.FillAsync(1));
        var tenant = StoreDatabase.NewTenant();
        await using var connection = await db.Postgres.Dedicated.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var existing = await Oids(connection);
        existing.ExceptWith((await Rows(connection, PooledRelations)).Select(r => (long)r[0]));
        await Execute(connection, "SELECT emt_add_partition($1)", tenant.Value);
        Assert.Equal(0L, (long)(await Rows(connection, "SELECT count(*) FROM cartgraph_partition_pool"))[0][0]);

        // A bucket and its indexes are partitions too (of the event store table and its indexes), but no tenant's.
        var held = (await Rows(connection, """
            WITH top(oid) AS (SELECT unnest(ARRAY['emt_streams'::regclass, 'emt_messages'::regclass, 'emt_subscriptions'::regclass])::oid)
            SELECT l.relation::bigint, c.relname::text, l.mode,
                   c.relispartition AND NOT EXISTS (SELECT FROM pg_inherits b WHERE b.inhrelid = c.oid
                                                       AND b.inhparent IN (SELECT oid FROM top UNION ALL
                                                                           SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM top)))
              FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relnamespace <> 'pg_catalog'::regnamespace
            """)).Where(l => existing.Contains((long)l[0]!)).ToList();
        Assert.Empty(held.Where(l => Blocking.Contains((string)l[2]!)).Select(l => $"{l[1]} {l[2]}"));
        var bucket = await db.ScalarAsync<string>("SELECT cartgraph_bucket_of('emt_messages', $1)", tenant.Value);
        Assert.Contains(held, l => (string)l[1]! == bucket && (string)l[2]! == "ShareUpdateExclusiveLock");
        Assert.DoesNotContain(held, l => (string)l[1]! == "emt_messages" && (string)l[2]! != "AccessShareLock");
        Assert.Empty(held.Where(l => (bool)l[3]!).Select(l => $"{l[1]} {l[2]}")); // no other tenant's table, not even to read
        await transaction.RollbackAsync();
        await pool.EmptyAsync(); // the set taken is back in the pool: the other specs of the class create their tables
    }

    [Fact]
    public async Task Attaching_verifies_only_the_new_tenants_own_empty_tables_builds_no_index_and_leaves_no_check_constraint()
    {
        var tenant = StoreDatabase.NewTenant();
        await using var connection = await db.Postgres.Dedicated.OpenConnectionAsync();
        var notices = new ConcurrentQueue<string>();
        connection.Notice += (_, e) => notices.Enqueue(e.Notice.MessageText);
        await Execute(connection, "SET client_min_messages = debug1");
        await Execute(connection, "SELECT emt_add_partition($1)", tenant.Value);

        // A bucket's hash bound cannot be implied by a CHECK written in SQL (migration 0012): ATTACH reads the new
        // tenant's tables, which are empty, under the lock they already have; no other table.
        var log = notices.ToList();
        Assert.All(log.Where(n => n.StartsWith("verifying table", StringComparison.Ordinal)),
            n => Assert.Contains($"_{tenant}", n, StringComparison.Ordinal));
        foreach (var table in (string[])["emt_streams", "emt_messages", "emt_subscriptions"])
        {
            var attached = log.FindIndex(n => n.StartsWith($"verifying table \"{table}_{tenant}", StringComparison.Ordinal));
            Assert.True(attached >= 0, $"{table}: not attached; " + string.Join(" | ", log));
            // Its indexes were built while it was staged, none by ATTACH under its lock.
            Assert.DoesNotContain(log.Skip(attached), n => n.StartsWith("building index", StringComparison.Ordinal)
                                                           && n.Contains($"on table \"{table}_{tenant}", StringComparison.Ordinal));
        }
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'c' AND c.relname LIKE '%' || $1 || '%'",
            tenant.Value));
    }

    // Every ATTACH PARTITION (and CREATE TABLE … PARTITION OF) reads all of pg_constraint, sequentially, for foreign
    // keys to clone (PostgreSQL's CloneFkReferenced): a constraint row per tenant table makes each onboarding slower
    // with every tenant (7 per tenant made that read 8 ms of a 33 ms onboarding at 10 000 tenants). A tenant's keys
    // are unique indexes (migration 0016), which add no row there.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tenants_tables_and_a_pooled_set_add_no_row_to_pg_constraint_which_every_attach_reads_whole(bool pooled)
    {
        var pool = new PartitionPool(db.Postgres);
        await pool.EmptyAsync();
        if (pooled) Assert.Equal(1, await pool.FillAsync(1));
        const string Constraints = """
            SELECT coalesce(string_agg(c.relname || ': ' || k.conname, ', '), '')
              FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relname LIKE $1
            """;
        Assert.Equal("", await db.ScalarAsync<string>(Constraints, "cartgraph\\_pool\\_%"));
        var tenant = StoreDatabase.NewTenant();

        await db.Tenants.ProvisionAsync(tenant);

        Assert.Equal("", await db.ScalarAsync<string>(Constraints, $"%{tenant.Value}%"));
        await pool.EmptyAsync();
    }

    // PostgreSQL names an index after its table and columns, cut to fit 63 bytes, and numbers it while that name is
    // taken: for tenants whose ids share a long prefix the cut names were the same, an onboarding probed for a free
    // number in proportion to those tenants, and two onboardings at once could both pick it (a duplicate key in
    // pg_class: seen at 10 000 tenants named bench-n-00000 …). A tenant's index is named after its own table, which is
    // unique, and the event store index it is a partition of (migration 0017): computed, never probed.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tenants_indexes_are_named_after_their_table_and_the_event_store_index_they_belong_to(bool pooled)
    {
        var pool = new PartitionPool(db.Postgres);
        await pool.EmptyAsync();
        if (pooled) Assert.Equal(1, await pool.FillAsync(1));
        var tenant = TenantId.Parse($"long-tenant-id-{Guid.NewGuid():N}");

        await db.Tenants.ProvisionAsync(tenant);

        var indexes = await IndexesAsync(tenant);
        Assert.Equal(3 * 1 + 3 * 4 + 1, indexes.Count); // streams and its leaves: 1 each; messages and its leaves: 4 each; subscriptions: 1
        foreach (var (table, index, root) in indexes)
            Assert.Equal(ExpectedIndexName(table, root), index);
        Assert.Contains(indexes, i => i.Index.Length > 54 && i.Table.Length + 1 + i.Root.Length - 4 > 63); // a cut one
    }

    [Fact]
    public async Task Tenants_whose_ids_share_a_long_prefix_onboard_at_once_from_the_pool_and_from_nothing()
    {
        var pool = new PartitionPool(db.Postgres);
        await pool.EmptyAsync();
        Assert.Equal(6, await pool.FillAsync(6));
        var prefix = $"shared-prefix-{Guid.NewGuid():N}"[..30];
        var tenants = Enumerable.Range(0, 12).Select(i => TenantId.Parse($"{prefix}-{i:00}")).ToArray();

        await Task.WhenAll(tenants.Select(t => Task.Run(() => db.Tenants.ProvisionAsync(t))));

        var names = (await Task.WhenAll(tenants.Select(IndexesAsync))).SelectMany(i => i).ToList();
        Assert.Equal(12 * 16, names.Select(n => n.Index).Distinct().Count());
        Assert.All(names, n => Assert.Equal(ExpectedIndexName(n.Table, n.Root), n.Index));
        await pool.EmptyAsync();
    }

    /// <summary>The rule of migration 0017: the table, '_', the event store index's name less 'idx_'; past 63 bytes, its first 54 and 8 hex digits of its md5.</summary>
    private static string ExpectedIndexName(string table, string root)
    {
        var name = $"{table}_{(root.StartsWith("idx_", StringComparison.Ordinal) ? root[4..] : root)}";
        return name.Length <= 63 ? name
            : $"{name[..54]}_{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8]}";
    }

    /// <summary>Each index of the tenant's tables and leaves: its table, its name, and the event store index at the top of its parents.</summary>
    private async Task<List<(string Table, string Index, string Root)>> IndexesAsync(TenantId tenant)
    {
        var tables = await db.Tenants.TablesAsync(tenant) ?? throw new InvalidOperationException($"{tenant} has no tables");
        var rows = await db.RowsAsync("""
            WITH RECURSIVE up(index, ancestor) AS (
                SELECT x.indexrelid, x.indexrelid FROM pg_index x WHERE x.indrelid = ANY($1::regclass[])
                UNION ALL
                SELECT up.index, i.inhparent FROM up JOIN pg_inherits i ON i.inhrelid = up.ancestor)
            SELECT t.relname::text, c.relname::text,
                   (SELECT r.relname::text FROM up u JOIN pg_class r ON r.oid = u.ancestor
                     WHERE u.index = x.indexrelid AND NOT EXISTS (SELECT FROM pg_inherits p WHERE p.inhrelid = u.ancestor))
              FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             WHERE x.indrelid = ANY($1::regclass[])
             ORDER BY 1, 2
            """, (object)new[] { tables.Streams, tables.ActiveStreams, tables.ArchivedStreams, tables.Messages, tables.ActiveMessages,
                                 tables.ArchivedMessages, tables.Subscriptions });
        return rows.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!)).ToList();
    }

    [Fact]
    public async Task Onboarding_tenants_while_others_write_read_and_project_holds_none_of_them_up_and_never_times_out()
    {
        var name = $"onboarding-{Guid.NewGuid():N}"[..24];
        // Writers and readers of existing tenants give up on any lock they wait for longer than this.
        await using var watched = PostgresDatabase.Create(
            new NpgsqlConnectionStringBuilder(db.ConnectionString) { Options = "-c lock_timeout=500ms" }.ConnectionString);
        var watchedStore = new Infrastructure.EventStore.EventStore(watched, new TenantPartitions(watched));
        // Onboarding runs as the API runs it (first append provisions), under a name of its own and without a lock timeout.
        await using var onboarding = PostgresDatabase.Create(
            new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = name }.ConnectionString);
        var onboardingStore = new Infrastructure.EventStore.EventStore(onboarding, new TenantPartitions(onboarding));

        var existing = Enumerable.Range(0, 12).Select(_ => StoreDatabase.NewTenant()).ToArray();
        foreach (var tenant in existing) await db.Store.AppendAsync(tenant, "warm-up", "thing", Events(1), ExpectedVersion.Any);
        await using var host = await RunningHost.StartAsync(db, new ProjectionOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(50), OwnershipInterval = TimeSpan.FromMilliseconds(200),
        });

        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var writes = 0;
        var writers = existing.Take(4).Select((tenant, w) => Task.Run(async () =>
        {
            for (var n = 1; !stop.IsCancellationRequested; n++)
                try
                {
                    (await watchedStore.AppendAsync(tenant, $"writer-{w}", "thing", [Event(n)], ExpectedVersion.Any))
                        .IfLeft(e => failures.Enqueue(e.ToString()));
                    Interlocked.Increment(ref writes);
                }
                catch (PostgresException e) { failures.Enqueue($"{e.SqlState} {e.MessageText}"); }
        })).ToList();
        var readers = existing.Skip(4).Take(2).Select(tenant => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                try { await watchedStore.ReadStreamAsync(tenant, "warm-up"); }
                catch (PostgresException e) { failures.Enqueue($"{e.SqlState} {e.MessageText}"); }
        })).ToList();
        await using var waits = await LockWaits.StartAsync(db.Postgres.Dedicated, name);

        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref writes)), w => w > 20);
        var newcomers = Enumerable.Range(0, 8).Select(_ => StoreDatabase.NewTenant()).ToArray();
        foreach (var tenant in newcomers)
            Assert.True((await onboardingStore.AppendAsync(tenant, "first", "thing", Events(1), ExpectedVersion.NoStream)).IsRight);
        await stop.CancelAsync();
        await Task.WhenAll([.. writers, .. readers]);
        await waits.StopAsync();
        foreach (var wait in waits.Seen) output.WriteLine(wait.ToString());

        Assert.Empty(failures);
        // Nobody waited on a parent or another tenant's table. A statement whose generic plan locks every partition may
        // see the newcomer's tables the moment its transaction commits, before it has released their locks: a wait of
        // that brief moment (plans that touch only their tenant's partitions would not wait at all).
        Assert.DoesNotContain(waits.Seen, w => w.OnExistingRelation);
        Assert.DoesNotContain(waits.Seen, w => w.Ms > CommitMoment);
        Assert.All(newcomers, t => Assert.Contains(t, db.Tenants.ListAsync().Result));
        await Eventually.Until(() => Task.FromResult(host.Host.Owned.Count), owned => owned >= existing.Length + newcomers.Length);
        Assert.True(host.Host.Owned.Count >= existing.Length + newcomers.Length, "the newcomers' processors started");
    }

    // The pooled sets' tables, their indexes, TOAST tables and TOAST indexes.
    private const string PooledRelations = """
        WITH t AS (SELECT oid FROM pg_class WHERE starts_with(relname, 'cartgraph_pool_') AND relkind IN ('r', 'p')),
             toast AS (SELECT reltoastrelid AS oid FROM pg_class WHERE oid IN (SELECT oid FROM t) AND reltoastrelid <> 0)
        SELECT oid::bigint FROM t UNION SELECT oid::bigint FROM toast
        UNION SELECT indexrelid::bigint FROM pg_index WHERE indrelid IN (SELECT oid FROM t UNION SELECT oid FROM toast)
        """;

    private static async Task<HashSet<long>> Oids(NpgsqlConnection connection) =>
        (await Rows(connection, "SELECT oid::bigint FROM pg_class WHERE relnamespace <> 'pg_catalog'::regnamespace"))
        .Select(r => (long)r[0]!).ToHashSet();

    private static async Task Execute(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<object[]>> Rows(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
