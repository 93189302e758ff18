using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Schema;
using CartGraph.Infrastructure.Tenants;
using CartGraph.Tests.Integration.Projections;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// Onboarding takes a set of tables staged ahead of it (migration 0014) when the pool has one, and creates them when
/// it is empty; a pooled set is no tenant's; the filler keeps the pool full; two onboardings never take the same set.
/// </summary>
/// <remarks>The specs of one class run one after the other, so each sees the pool as the one before left it.</remarks>
public sealed class PartitionPoolSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private PartitionPool Pool => new(db.Postgres);

    [Fact]
    public async Task Onboarding_takes_a_staged_set_renames_it_to_the_tenants_names_and_the_tenant_works_as_any()
    {
        await Pool.EmptyAsync();
        Assert.Equal(1, await Pool.FillAsync(1));
        var staged = await PooledTables();
        var tenant = Distinct();

        var tables = await db.Tenants.ProvisionAsync(tenant);

        Assert.Equal(0, await Pool.CountAsync());
        Assert.Empty(await PooledTables());
        Assert.Equal(staged.Order(), (await TableOids(tenant)).Order()); // the very tables that were staged
        Assert.Equal($"emt_messages_{tenant}_active", tables.ActiveMessages.Trim('"'));
        // Named as if they had been created for the tenant: tables, leaves, indexes and their constraints.
        var created = Distinct();
        await db.Tenants.ProvisionAsync(created);
        Assert.Equal(await RelationNames(created), await RelationNames(tenant));
        Assert.True((await db.Store.AppendAsync(tenant, "cart-1", "thing", Events(2), ExpectedVersion.NoStream)).IsRight);
        Assert.Equal(2, (await db.Store.ReadStreamAsync(tenant, "cart-1")).Count);
        Assert.Contains(tenant, await db.Tenants.ListAsync());
    }

    [Fact]
    public async Task A_tenant_onboarded_from_the_pool_is_dropped_like_any_and_can_be_onboarded_again()
    {
        await Pool.EmptyAsync();
        await Pool.FillAsync(2);
        var tenant = StoreDatabase.NewTenant();
        Assert.True((await db.Store.AppendAsync(tenant, "cart-1", "thing", Events(2), ExpectedVersion.NoStream)).IsRight);

        Assert.True((await new TenantDrop(db.Postgres, [Carts.Projection]).DropAsync(tenant)).IsRight);

        Assert.DoesNotContain(tenant, await db.Tenants.ListAsync());
        Assert.Empty(await db.RowsAsync("SELECT relname FROM pg_class WHERE relname LIKE '%' || $1 || '%'", tenant.Value));
        db.Tenants.Forget(tenant);
        Assert.True((await db.Store.AppendAsync(tenant, "cart-1", "thing", Events(1), ExpectedVersion.NoStream)).IsRight);
        Assert.Single(await db.Store.ReadStreamAsync(tenant, "cart-1"));
        Assert.Equal(0, await Pool.CountAsync()); // both onboardings took a set
    }

    [Fact]
    public async Task Onboarding_creates_the_tables_when_the_pool_is_empty()
    {
        await Pool.EmptyAsync();
        var tenant = StoreDatabase.NewTenant();

        await db.Tenants.ProvisionAsync(tenant);

        Assert.Equal(0, await Pool.CountAsync());
        Assert.Equal(7, (await TableOids(tenant)).Count);
        Assert.True((await db.Store.AppendAsync(tenant, "cart-1", "thing", Events(1), ExpectedVersion.NoStream)).IsRight);
    }

    [Fact]
    public async Task Pooled_tables_are_no_tenants_and_no_tenants_reads_see_them()
    {
        await Pool.EmptyAsync();
        var tenant = StoreDatabase.NewTenant();
        await db.Store.AppendAsync(tenant, "cart-1", "thing", Events(1), ExpectedVersion.NoStream);
        var listed = await db.Tenants.ListAsync();
        var messages = await db.ScalarAsync<long>("SELECT count(*) FROM emt_messages");

        await Pool.FillAsync(3);

        Assert.Equal(listed, await db.Tenants.ListAsync());
        Assert.Equal(messages, await db.ScalarAsync<long>("SELECT count(*) FROM emt_messages"));
        Assert.Equal(3 * 7, (await PooledTables()).Count);
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE starts_with(c.relname, 'cartgraph_pool_') AND NOT (SELECT starts_with(relname, 'cartgraph_pool_') FROM pg_class WHERE oid = i.inhparent)
            """));
        Assert.Single(await db.Store.ReadStreamAsync(tenant, "cart-1"));
    }

    [Fact]
    public async Task Concurrent_onboardings_never_take_the_same_staged_set()
    {
        await Pool.EmptyAsync();
        await Pool.FillAsync(4);
        var staged = await PooledTables();
        var tenants = Enumerable.Range(0, 6).Select(_ => StoreDatabase.NewTenant()).ToArray();

        await Task.WhenAll(tenants.Select(t => Task.Run(() => db.Tenants.ProvisionAsync(t))));

        var taken = new List<long>();
        foreach (var tenant in tenants) taken.AddRange((await TableOids(tenant)).Where(staged.Contains));
        Assert.Equal(staged.Order(), taken.Order()); // each staged table went to exactly one tenant
        Assert.Equal(4, tenants.Count(t => TableOids(t).Result.All(staged.Contains))); // whole sets, none split
        Assert.Equal(0, await Pool.CountAsync());
    }

    [Fact]
    public async Task Applying_a_migration_empties_the_pool_as_its_sets_were_made_like_the_tables_before_it()
    {
        await Pool.FillAsync(2);
        Assert.NotEqual(0, await Pool.CountAsync());
        // The latest migration again, as if it were new (each is CREATE OR REPLACE): it could have changed the tables.
        await db.ScalarAsync<int>("DELETE FROM cartgraph_schema_migrations WHERE version = (SELECT max(version) FROM cartgraph_schema_migrations)");

        Assert.Single(await new SchemaMigrator(db.Postgres).MigrateAsync());

        Assert.Equal(0, await Pool.CountAsync());
        Assert.Empty(await PooledTables());
    }

    [Fact]
    public async Task The_filler_fills_the_pool_and_refills_it_after_each_onboarding_that_took_a_set()
    {
        await Pool.EmptyAsync();
        using var listener = new PostgresListener(db.Postgres, [PartitionPool.Channel]);
        // No timer during the spec: only the start and the notifications wake the filler.
        var filler = new PartitionPoolFiller(Pool, listener, new PartitionPoolOptions { Size = 3, CheckInterval = TimeSpan.FromHours(1) });
        await listener.StartAsync(CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(listener.IsConnected), connected => connected);
        await filler.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(3, await Eventually.Until(() => Pool.CountAsync(), n => n == 3));
            await db.Tenants.ProvisionAsync(StoreDatabase.NewTenant());
            await db.Tenants.ProvisionAsync(StoreDatabase.NewTenant());
            Assert.Equal(3, await Eventually.Until(() => Pool.CountAsync(), n => n == 3));
            await Task.Delay(200);
            Assert.Equal(3, await Pool.CountAsync()); // and no more
        }
        finally
        {
            await filler.StopAsync(CancellationToken.None);
            await listener.StopAsync(CancellationToken.None);
            await Pool.EmptyAsync();
        }
    }

    // A tenant whose id, or what is left of it in a shortened name, is told apart from the rest of the name.
    private static TenantId Distinct() => TenantId.Parse($"zq{Guid.NewGuid():N}"[..20]);

    private async Task<List<long>> PooledTables() =>
        (await db.RowsAsync("SELECT oid::bigint FROM pg_class WHERE starts_with(relname, 'cartgraph_pool_') AND relkind IN ('r', 'p')"))
        .Select(r => (long)r[0]!).ToList();

    private async Task<List<long>> TableOids(TenantId tenant) =>
        (await db.RowsAsync("""
            SELECT t.oid::bigint FROM cartgraph_tenant_tables($1) n,
                   unnest(ARRAY[n.streams, n.active_streams, n.archived_streams, n.messages, n.active_messages, n.archived_messages, n.subscriptions]) q
              JOIN pg_class t ON t.oid = q::regclass
            """, tenant.Value)).Select(r => (long)r[0]!).ToList();

    // Tenants replaced by <tenant>; an index name cut to fit ends in 8 hex digits of its whole name's md5 (migration 0017), masked.
    private async Task<List<string>> RelationNames(TenantId tenant) =>
        (await db.RowsAsync("""
            SELECT regexp_replace(regexp_replace(x.relname::text, 'zq[0-9a-f]*', '<tenant>'), '_[0-9a-f]{8}$', '_<md5>')
              FROM cartgraph_tenant_tables($1) n,
                   unnest(ARRAY[n.streams, n.active_streams, n.archived_streams, n.messages, n.active_messages, n.archived_messages, n.subscriptions]) q
              JOIN LATERAL (SELECT relname FROM pg_class WHERE oid = q::regclass
                            UNION ALL SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = q::regclass
                            UNION ALL SELECT conname FROM pg_constraint WHERE conrelid = q::regclass) x ON TRUE
             ORDER BY 1
            """, tenant.Value)).Select(r => (string)r[0]!).ToList();
}
