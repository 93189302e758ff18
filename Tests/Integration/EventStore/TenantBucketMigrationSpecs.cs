using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Schema;
using static CartGraph.Tests.Integration.EventStore.Messages;

using static CartGraph.Tests.Integration.EventStore.EventStoreRows;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// A database of the layout before migration 0012 (tenants' tables straight under the event store tables) upgrades by
/// migration: every tenant's table moves under its hash bucket, with every row kept, and the store goes on as before.
/// </summary>
public sealed class TenantBucketMigrationSpecs(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int BeforeBuckets = 11;

    [Fact]
    public async Task Every_tenants_tables_move_under_their_bucket_with_every_row_kept()
    {
        await using var postgres = PostgresDatabase.Create(database.ConnectionString);
        var migrator = new SchemaMigrator(postgres);
        await migrator.MigrateToAsync(BeforeBuckets);
        var before = new Infrastructure.EventStore.EventStore(postgres, new TenantPartitions(postgres));
        var tenants = Enumerable.Range(0, 5).Select(_ => StoreDatabase.NewTenant()).ToArray();
        foreach (var (tenant, i) in tenants.Select((t, i) => (t, i)))
        {
            await before.AppendAsync(tenant, "a", "thing", Events(i + 1), ExpectedVersion.NoStream);
            await before.AppendAsync(tenant, "b", "thing", Events(2), ExpectedVersion.NoStream);
        }
        await before.ArchiveStreamAsync(tenants[0], "b");
        await ExecuteAsync(postgres, "INSERT INTO emt_subscriptions VALUES ('cursor', 1, $1, 7, '42')", tenants[1].Value);
        // Emmett's own writer, on the parents, with a tenant of Emmett's default.
        await ExecuteAsync(postgres, """
            SELECT success FROM emt_append_to_stream(ARRAY[gen_random_uuid()::text], ARRAY['{}'::jsonb], ARRAY['{}'::jsonb],
                                                     ARRAY['1'], ARRAY['Seen'], ARRAY['E'], 'emmett', 'thing', NULL, 'emt:default')
            """);
        var rows = await AllAsync(postgres);
        // 10 streams of ours and 1 of Emmett's; 1 to 5 and 2 messages in each tenant's, 1 in Emmett's.
        Assert.Equal(11 + 26, rows.Count(r => !r.StartsWith("checkpoint", StringComparison.Ordinal)));

        await migrator.MigrateAsync();

        Assert.Equal(rows, await AllAsync(postgres));
        foreach (var tenant in tenants.Select(t => t.Value).Append("emt:default"))
            foreach (var table in TenantPartitions.Parents)
                Assert.Equal($"{table}${await BucketAsync(postgres, table, tenant)}", await ParentAsync(postgres, table, tenant));
        Assert.Equal(0L, await ScalarAsync<long>(postgres,
            "SELECT count(*) FROM pg_inherits WHERE inhparent IN ('emt_streams'::regclass, 'emt_messages'::regclass, 'emt_subscriptions'::regclass) AND inhrelid::regclass::text NOT LIKE '%$%'"));

        var after = new Infrastructure.EventStore.EventStore(postgres, new TenantPartitions(postgres));
        Assert.True((await after.AppendAsync(tenants[2], "a", "thing", Events(1), ExpectedVersion.Exactly(3))).IsRight);
        Assert.Equal(4, (await after.ReadStreamAsync(tenants[2], "a")).Count);
        var newcomer = StoreDatabase.NewTenant();
        Assert.True((await after.AppendAsync(newcomer, "a", "thing", Events(1), ExpectedVersion.NoStream)).IsRight);
        Assert.Single(await after.ReadStreamAsync(newcomer, "a"));
    }

    /// <summary>The bucket whose hash bound holds the tenant, as PostgreSQL routes rows.</summary>
    private static async Task<string> BucketAsync(PostgresDatabase postgres, string table, string tenant)
    {
        var remainder = await ScalarAsync<int>(postgres,
            $"SELECT r FROM generate_series(0, 63) r WHERE satisfies_hash_partition('{table}'::regclass, 64, r, $1::text)", tenant);
        return remainder.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<string?> ParentAsync(PostgresDatabase postgres, string table, string tenant) => ScalarAsync<string>(postgres,
        "SELECT (SELECT relname::text FROM pg_class WHERE oid = i.inhparent) FROM pg_inherits i WHERE i.inhrelid = quote_ident(cartgraph_partition_of($1, $2))::regclass",
        table, tenant);
}
