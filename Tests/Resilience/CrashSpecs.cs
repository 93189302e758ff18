using CartGraph.Domain.Carts;
using CartGraph.Tests.Api.EndToEnd;
using Xunit.Abstractions;

namespace CartGraph.Tests.Resilience;

/// <summary>kill -9 of the API under a load of mutations: nothing acknowledged is lost, nothing is projected twice.</summary>
[Collection(ResilienceCollection.Name)]
public sealed class CrashSpecs(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Tenant = "resilience-crash";
    private static readonly string[] Carts = Enumerable.Range(1, 8).Select(i => $"cart-{i}").ToArray();

    private readonly List<ApiProcess> processes = [];

    [Fact]
    public async Task After_a_kill_9_under_load_every_acknowledged_mutation_is_stored_and_the_read_model_is_the_fold_of_the_events()
    {
        var first = await StartAsync("api-before-crash");
        var shop = new Shop(first.Http, Tenant);
        foreach (var cart in Carts) await shop.Create(cart);

        var load = MutationLoad.Start(first.Http, Tenant, Carts, clients: 6);
        await load.AcknowledgedAsync(300, TimeSpan.FromSeconds(30));
        first.Kill();
        await load.StoppedAsync(TimeSpan.FromSeconds(10));
        var acknowledged = load.Acknowledgements.ToList();

        var second = await StartAsync("api-after-crash");
        output.WriteLine($"{acknowledged.Count} mutation(s) acknowledged before the kill");
        var stored = await StoredCarts.ConvergedAsync(database.ConnectionString, Tenant, TimeSpan.FromSeconds(20));

        // Acknowledged means stored: each at the position it was acknowledged with, and no position given out twice.
        var missing = acknowledged.Where(a => !Holds(stored, a)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged mutation(s) are not stored as acknowledged: "
            + string.Join(", ", missing.Take(10)));
        var reused = acknowledged.GroupBy(a => (a.CartId, a.Version)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(reused.Count == 0, $"Positions acknowledged twice: {string.Join(", ", reused)}");
        // Converged: rows, versions and bookmarks are the fold of the events, each applied once.
        Assert.All(Carts, cart => Assert.True(stored[cart].Converged, $"Not converged: {stored[cart]}\n{second.Log}"));
        // And the restarted API serves exactly that.
        var through = new Shop(second.Http, Tenant);
        foreach (var cart in Carts)
        {
            var served = (await through.Cart(cart))!;
            Assert.Equal(stored[cart].LastPosition, (long)served["version"]!);
            Assert.Equal(Quantities(stored[cart]), served["items"]!.AsArray().ToDictionary(i => (string)i!["sku"]!, i => (int)i!["quantity"]!));
        }
    }

    private static bool Holds(IReadOnlyDictionary<string, StoredCart> stored, Acknowledged ack) =>
        stored.TryGetValue(ack.CartId, out var cart)
        && cart.Events.SingleOrDefault(e => e.Position == ack.Version)?.Event is CartEvent.ItemAddedToCart added
        && added.Item.Sku == ack.Sku;

    private static Dictionary<string, int> Quantities(StoredCart cart) =>
        ((CartState.ActiveCart)cart.Fold).Items.Lines.ToDictionary(l => l.Sku, l => l.Quantity);

    private async Task<ApiProcess> StartAsync(string name)
    {
        var api = await ApiProcess.StartAsync(name, database.ConnectionString);
        processes.Add(api);
        return api;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in processes) await process.DisposeAsync();
    }
}
