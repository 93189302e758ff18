using System.Diagnostics;
using CartGraph.Tests.Api.EndToEnd;
using Xunit.Abstractions;

namespace CartGraph.Tests.Resilience;

/// <summary>Three API processes on one database: processors spread over them, and move when one is killed.</summary>
[Collection(ResilienceCollection.Name)]
public sealed class ThreeInstancesSpecs(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly string[] Tenants = Enumerable.Range(1, 6).Select(i => $"resilience-three-{i}").ToArray();

    private ApiProcess[] instances = [];

    [Fact]
    public async Task When_one_of_three_is_killed_its_processors_move_to_the_others_within_seconds_and_their_subscribers_keep_receiving()
    {
        instances = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => ApiProcess.StartAsync($"api-{i}", database.ConnectionString)));
        for (var i = 0; i < Tenants.Length; i++) await new Shop(instances[i % 3].Http, Tenants[i]).Create("cart-1");
        var spread = await Ownership.UntilAsync(instances, o => o.EachRunsOnce(Tenants) && o.Spread, TimeSpan.FromSeconds(20));
        output.WriteLine($"Spread: {spread}");

        var (killed, survivors) = (instances[0], instances[1..]);
        var orphan = Ownership.TenantOf(spread.Owned[killed].First());
        await using var onSecond = await Subscriber.SubscribeAsync(survivors[0].WebSocket, "CartChanged", new { tenantId = orphan, cartId = "cart-1" });
        await using var onThird = await Subscriber.SubscribeAsync(survivors[1].WebSocket, "CartChanged", new { tenantId = orphan, cartId = "cart-1" });

        killed.Kill();
        var clock = Stopwatch.StartNew();
        var taken = await Ownership.UntilAsync(survivors, o => o.EachRunsOnce(Tenants), TimeSpan.FromSeconds(10));
        output.WriteLine($"Taken over in {clock.Elapsed.TotalSeconds:0.00} s: {taken}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Taking over took {clock.Elapsed.TotalSeconds:0.0} s");

        // The killed instance's tenant is still projected: a change through one survivor is read and pushed through both.
        await new Shop(survivors[0].Http, orphan).Add("cart-1", "SKU-1");
        Assert.Equal(2, (long)(await new Shop(survivors[1].Http, orphan).Cart("cart-1", atLeastVersion: 2))!["version"]!);
        Assert.Equal(2, (long)(await onSecond.NextAsync())["version"]!);
        Assert.Equal(2, (long)(await onThird.NextAsync())["version"]!);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
    }
}
