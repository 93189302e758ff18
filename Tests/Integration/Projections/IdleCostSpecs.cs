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
        // Timers of the instance, not of its tenants: the same few (8 in 4 s on a quiet machine: a sweep and an ownership
        // round a second), give or take the rounds at a window's edges and a late sweep; on a loaded machine the timers
        // slip (6 to 10 with 10 tenants in one run, against 9 to 11 with 200). A cost per tenant would be 200 more.
        Assert.True(many <= few + 4, $"{many} round trips with 200 tenants, {few} with 10");
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

    private Task ProvisionWithACartEachAsync(string prefix, int first, int last) => EmmettWriter.ProvisionWithACartEachAsync(db, prefix, first, last);

    private Task ExecuteAsync(string sql) => EmmettWriter.ExecuteAsync(db, sql);
}
