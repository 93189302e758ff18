using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// What makes the sweep look at the tenants (<c>ActivitySweep</c>): writes into tenants' tables, and tenants that came
/// or went; nothing else. A database of its own: another class's tenants, still being projected or published, would
/// make it look.
/// </summary>
public sealed class SweepCostSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    // Writes nothing projects (the catalog's, when a table is made or autovacuum analyses one; CartGraph's own tables')
    // moved the database's write count, and the sweep read every tenant's figures twice, walking every bucket's
    // partitions to find their tables: at 10 000 tenants 110 ms of PostgreSQL's time each, and 8.5 % of a core in the
    // benchmark's idle window, whose start the pool's last sets had just missed. Only writes into tenants' tables count
    // now, and the partitions are walked again only when pg_inherits was written (a tenant came or went).
    [Fact]
    public async Task Tables_and_databases_made_move_no_sweep_an_onboarding_walks_the_partitions_once_and_writes_read_only_the_figures()
    {
        await EmmettWriter.ProvisionWithACartEachAsync(db, "catalog", 1, 3);
        var database = new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!;
        using var walks = new StatementCounter(database, text => text.Contains("JOIN pg_inherits t", StringComparison.Ordinal));
        using var figures = new StatementCounter(database, text => text.Contains("pg_stat_get_tuples_inserted(u.t)", StringComparison.Ordinal));
        await using var host = await RunningHost.StartAsync(db);
        await Eventually.Until(() => db.ScalarAsync<long>("SELECT count(*) FROM carts WHERE tenant_id LIKE 'catalog-%'"),
            carts => carts == 3, TimeSpan.FromSeconds(30));
        // The projection's sessions publish what they wrote up to 10 s after they went idle (PGSTAT_IDLE_INTERVAL).
        var settled = await Eventually.Until(() => figures.DuringAsync(TimeSpan.FromSeconds(11)), n => n == 0, TimeSpan.FromSeconds(90));
        Assert.Equal(0, settled);

        var (walked, read) = await DuringAsync(() => EmmettWriter.ExecuteAsync(db, "CREATE TABLE catalog_scratch (id int PRIMARY KEY); DROP TABLE catalog_scratch"));
        Assert.Equal((0, 0), (walked, read));

        // The catalogs every database shares (pg_database, pg_shdepend) are written by another database made and
        // dropped; their figures are in no database's count (as other test classes do all along, in CI).
        var other = $"sweep_{Guid.NewGuid():N}"[..24];
        (walked, read) = await DuringAsync(async () =>
        {
            await EmmettWriter.ExecuteAsync(db, $"CREATE DATABASE {other}");
            await EmmettWriter.ExecuteAsync(db, $"DROP DATABASE {other}");
        });
        Assert.Equal((0, 0), (walked, read));

        // Its tables made, renamed and attached, nothing written in them: the sweep learns them, once.
        (walked, read) = await DuringAsync(() => EmmettWriter.ExecuteAsync(db, "SELECT emt_add_partition('catalog-onboarded')"));
        Assert.Equal(1, walked);

        // What is written into a tenant's tables reads the figures, and walks nothing: Emmett's writer, announcing nothing.
        (walked, read) = await DuringAsync(() => EmmettWriter.ExecuteAsync(db, """
            SELECT emt_append_to_stream(ARRAY['catalog-added'], ARRAY['{"item": {"sku": "A", "name": "A", "quantity": 2, "unitPrice": 1}}'::jsonb],
                   ARRAY['{}'::jsonb], ARRAY['1'], ARRAY['ItemAddedToCart'], ARRAY['E'], 'cart-1', 'cart', NULL, 'catalog-2')
            """));
        Assert.Equal(0, walked);
        Assert.True(read >= 1, "the sweep did not read the figures after a write"); // then more, for what the projection wrote
        Assert.Equal(2, await Eventually.Until(() => db.ScalarAsync<long>("SELECT version FROM carts WHERE tenant_id = 'catalog-2'"),
            v => v == 2, TimeSpan.FromSeconds(20)));

        async Task<(long Walked, long Read)> DuringAsync(Func<Task> act)
        {
            var (w, r) = (walks.Count, figures.Count);
            await act();
            await Task.Delay(TimeSpan.FromSeconds(3)); // the sweep looks every second; the writer's session published at once (it ended)
            return (walks.Count - w, figures.Count - r);
        }
    }
}
