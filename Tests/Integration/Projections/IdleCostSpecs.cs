using CartGraph.Infrastructure.Projections;
using Npgsql;
using Xunit.Abstractions;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>What an instance costs while nobody writes, and what still finds writes nobody announced.</summary>
public sealed class IdleCostSpecs(StoreDatabase db, ITestOutputHelper output) : IClassFixture<StoreDatabase>
{
    /// <summary>Round trips a second an idle instance may send: a sweep and an ownership round, with room to spare.</summary>
    private const int Bound = 5;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task An_idle_instance_sends_a_few_statements_a_second_and_no_more_with_200_tenants_than_with_10()
    {
        await ProvisionWithACartEachAsync("idle", 1, 10);
        var database = new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!;
        using var statements = new StatementCounter(database);
        await using var host = await RunningHost.StartAsync(db, new ProjectionOptions { OwnershipInterval = TimeSpan.FromSeconds(1) });
        var few = await IdleRoundTripsAsync(statements, host, 10);
        Assert.InRange(few, 1, Bound * Window.TotalSeconds);

        await ProvisionWithACartEachAsync("idle", 11, 200);
        var many = await IdleRoundTripsAsync(statements, host, 200);

        Assert.InRange(many, 1, Bound * Window.TotalSeconds);
        // Timers of the instance, not of its tenants: the same few, give or take the one round that falls at a window's edge.
        Assert.True(many <= few + 2, $"{many} round trips with 200 tenants, {few} with 10");
    }

    /// <summary>Once every tenant is projected and what was written has settled, the round trips sent in <see cref="Window"/>.</summary>
    private async Task<long> IdleRoundTripsAsync(StatementCounter statements, RunningHost host, int tenants)
    {
        var projected = await Eventually.Until(() => db.ScalarAsync<long>("SELECT count(*) FROM carts WHERE tenant_id LIKE 'idle-%'"),
            carts => carts == tenants, TimeSpan.FromSeconds(90));
        Assert.Equal(tenants, projected);
        Assert.Equal(tenants, host.Host.Owned.Count(o => o.Tenant.StartsWith("idle-", StringComparison.Ordinal)));
        output.WriteLine($"{statements.Count} round trips in all once {tenants} tenants were projected");

        // What was just written reaches PostgreSQL's statistics up to 10 s later, and each tenant written then looks once.
        var settling = await Eventually.Until(() => statements.DuringAsync(TimeSpan.FromSeconds(2)), sent => sent <= 2 * Bound, TimeSpan.FromSeconds(40));
        output.WriteLine($"settled at {settling} round trips in 2 s");

        // The quietest of three windows: statistics another session publishes late (up to 10 s) make the sweep look at
        // the tenants it wrote once more, a one-off; a cost per tenant, like a timer each, is in every window.
        var windows = new List<long>();
        for (var i = 0; i < 3; i++) windows.Add(await statements.DuringAsync(Window));
        output.WriteLine($"{string.Join(", ", windows)} round trips in windows of {Window.TotalSeconds} s while idle, with {tenants} tenants");
        return windows.Min();
    }

    // Writes nothing projects (the catalog's, when a table is made or autovacuum analyses one; CartGraph's own tables')
    // moved the database's write count, and the sweep read every tenant's figures twice, walking every bucket's
    // partitions to find their tables: at 10 000 tenants 110 ms of PostgreSQL's time each, and 8.5 % of a core in the
    // benchmark's idle window, whose start the pool's last sets had just missed. Only writes into tenants' tables count
    // now, and the partitions are walked again only when pg_inherits was written (a tenant came or went).
    [Fact]
    public async Task Tables_made_move_no_sweep_an_onboarding_walks_the_partitions_once_and_writes_read_only_the_figures()
    {
        await ProvisionWithACartEachAsync("catalog", 1, 3);
        var database = new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!;
        using var walks = new StatementCounter(database, text => text.Contains("JOIN pg_inherits t", StringComparison.Ordinal));
        using var figures = new StatementCounter(database, text => text.Contains("pg_stat_get_tuples_inserted(u.t)", StringComparison.Ordinal));
        await using var host = await RunningHost.StartAsync(db);
        await Eventually.Until(() => db.ScalarAsync<long>("SELECT count(*) FROM carts WHERE tenant_id LIKE 'catalog-%'"),
            carts => carts == 3, TimeSpan.FromSeconds(30));
        // The projection's sessions publish what they wrote up to 10 s after they went idle (PGSTAT_IDLE_INTERVAL).
        var settled = await Eventually.Until(() => figures.DuringAsync(TimeSpan.FromSeconds(11)), n => n == 0, TimeSpan.FromSeconds(60));
        Assert.Equal(0, settled);

        var (walked, read) = await DuringAsync(() => ExecuteAsync("CREATE TABLE catalog_scratch (id int PRIMARY KEY); DROP TABLE catalog_scratch"));
        Assert.Equal((0, 0), (walked, read));

        // Its tables made, renamed and attached, nothing written in them: the sweep learns them, once.
        (walked, read) = await DuringAsync(() => ExecuteAsync("SELECT emt_add_partition('catalog-onboarded')"));
        Assert.Equal(1, walked);

        // What is written into a tenant's tables reads the figures, and walks nothing: Emmett's writer, announcing nothing.
        (walked, read) = await DuringAsync(() => ExecuteAsync("""
            SELECT emt_append_to_stream(ARRAY['catalog-added'], ARRAY['{"item": {"sku": "A", "name": "A", "quantity": 2, "unitPrice": 1}}'::jsonb],
                   ARRAY['{}'::jsonb], ARRAY['1'], ARRAY['ItemAddedToCart'], ARRAY['E'], 'cart-1', 'cart', NULL, 'catalog-2')
            """));
        Assert.Equal(0, walked);
        Assert.InRange(read, 1, 2);
        Assert.Equal(2, await Eventually.Until(() => db.ScalarAsync<long>("SELECT version FROM carts WHERE tenant_id = 'catalog-2'"),
            v => v == 2, TimeSpan.FromSeconds(20)));

        async Task<(long Walked, long Read)> DuringAsync(Func<Task> act)
        {
            var (w, r) = (walks.Count, figures.Count);
            await act();
            await Task.Delay(TimeSpan.FromSeconds(3)); // the sweep looks every second; its session published at once (it ended)
            return (walks.Count - w, figures.Count - r);
        }
    }

    [Fact]
    public async Task Messages_of_a_writer_that_announces_nothing_are_projected_by_the_sweep()
    {
        await ProvisionWithACartEachAsync("quiet", 1, 1);
        await using var host = await RunningHost.StartAsync(db);
        await Eventually.Until(() => db.ScalarAsync<long>("SELECT version FROM carts WHERE tenant_id = 'quiet-1'"), v => v == 1, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the processor's eager look after the messages it heard of

        // Emmett's function, as its Node client calls it, on a session of its own: nothing announces the append.
        await ExecuteAsync("""
            SELECT emt_append_to_stream(ARRAY['quiet-added'], ARRAY['{"item": {"sku": "A", "name": "A", "quantity": 2, "unitPrice": 1}}'::jsonb],
                   ARRAY['{}'::jsonb], ARRAY['1'], ARRAY['ItemAddedToCart'], ARRAY['E'], 'cart-1', 'cart', NULL, 'quiet-1')
            """);
        // And a tenant nobody announced at all: provisioned and written by that writer alone.
        await ProvisionWithACartEachAsync("unannounced", 1, 1);

        // The sweep sees the writes once the writer's session has published its statistics (at once here: it ended).
        var versions = await Eventually.Until(
            () => db.ScalarAsync<long>("SELECT coalesce(sum(version), 0)::bigint FROM carts WHERE tenant_id IN ('quiet-1', 'unannounced-1')"),
            sum => sum == 3, TimeSpan.FromSeconds(20));
        Assert.Equal(3, versions);
    }

    /// <summary>Tenants <c>prefix-first</c>…<c>prefix-last</c>, each with one cart, written through Emmett's functions in one statement.</summary>
    private Task ProvisionWithACartEachAsync(string prefix, int first, int last) => ExecuteAsync($$"""
        DO $$
        BEGIN
            FOR i IN {{first}} .. {{last}} LOOP
                PERFORM emt_add_partition('{{prefix}}-' || i);
                PERFORM emt_append_to_stream(ARRAY['{{prefix}}-created-' || i], ARRAY['{"currency": "USD"}'::jsonb], ARRAY['{}'::jsonb],
                        ARRAY['1'], ARRAY['CartCreated'], ARRAY['E'], 'cart-1', 'cart', NULL, '{{prefix}}-' || i);
                COMMIT;
            END LOOP;
        END $$
        """);

    /// <summary>On a connection of its own, closed after: the session ends, and publishes its statistics as it does.</summary>
    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }
}
