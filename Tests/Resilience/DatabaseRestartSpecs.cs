using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CartGraph.Infrastructure.Postgres;
using CartGraph.Tests.Api;
using CartGraph.Tests.Api.EndToEnd;
using Xunit.Abstractions;

namespace CartGraph.Tests.Resilience;

/// <summary>PostgreSQL stops and starts again under the running API (a cluster of its own, so no other spec notices).</summary>
[Collection(ResilienceCollection.Name)]
public sealed class DatabaseRestartSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Tenant = "resilience-restart";

    private LocalPostgresCluster cluster = null!;
    private ApiProcess? api;

    [Fact]
    public async Task While_PostgreSQL_is_down_the_API_is_not_ready_and_fails_mutations_cleanly_and_afterwards_it_recovers_with_its_subscribers()
    {
        api = await ApiProcess.StartAsync("api", cluster.ConnectionString);
        var shop = new Shop(api.Http, Tenant);
        await shop.Create("cart-1");
        await shop.Cart("cart-1", atLeastVersion: 1);
        await using var subscriber = await Subscriber.SubscribeAsync(api.WebSocket, "CartChanged", new { tenantId = Tenant, cartId = "cart-1" });
        await shop.Add("cart-1", "SKU-1");
        Assert.Equal(2, (long)(await subscriber.NextAsync())["version"]!);

        await cluster.StopAsync();
        var down = await ReadinessUntilAsync(r => new[] { "database", "listener", "processors" }.All(check => r.CheckStatus(check) == "unhealthy"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        // Down for a while, as a real restart is: every mutation meanwhile fails cleanly, and the process stays up.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            AssertFailedCleanly(await api.Http.GraphQLAsync(Operations.Document("AddItemToCart"), new { input = shop.AddInput("cart-1", "SKU-2") }));
            await Task.Delay(300);
        }
        Assert.False(api.HasExited, $"The API exited while PostgreSQL was down.\n{api.Log}");

        await cluster.StartAsync();
        var clock = Stopwatch.StartNew();
        await api.WaitUntilReadyAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"Ready again {clock.Elapsed.TotalSeconds:0.0} s after PostgreSQL started");
        Assert.Equal("healthy", (await api.ReadinessAsync()).CheckStatus("listener"));

        // The first mutation after the restart succeeds, and the subscriber that stayed connected sees it.
        Assert.Equal(3, (long)(await shop.Add("cart-1", "SKU-2"))["version"]!);
        var pushed = await subscriber.NextAsync();
        Assert.Equal((3L, "SKU-2"), ((long)pushed["version"]!, (string)pushed["items"]![1]!["sku"]!));

        // A quick restart with no request meanwhile: pooled connections the server closed do not fail the next mutation.
        await cluster.StopAsync();
        await cluster.StartAsync();
        Assert.Equal(4, (long)(await shop.Add("cart-1", "SKU-3"))["version"]!);
        Assert.Equal(4, (long)(await subscriber.NextAsync())["version"]!);
    }

    /// <summary>A GraphQL error response, coded, with nothing of the exception in it, and nothing acknowledged.</summary>
    private static void AssertFailedCleanly(GraphQLResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK && response.MediaType is "application/json" or "application/graphql-response+json", $"Expected a GraphQL response, got {response}");
        Assert.True(response.Errors is { Count: > 0 } && response.Errors.All(e => e?["message"] is JsonValue && (string?)e["extensions"]?["code"] == "SERVICE_UNAVAILABLE"
                && e["extensions"]?["correlationId"] is JsonValue),
            $"Expected SERVICE_UNAVAILABLE errors with a correlation id, got {response}");
        Assert.Null(response.Data?["addItemToCart"]);
        var text = response.Body.ToJsonString();
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    private async Task<Readiness> ReadinessUntilAsync(Func<Readiness, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var readiness = await api!.ReadinessAsync();
            if (done(readiness)) return readiness;
            Assert.True(DateTime.UtcNow < deadline, $"/health/ready still says {readiness}");
            await Task.Delay(100);
        }
    }

    public async Task InitializeAsync() =>
        cluster = await LocalPostgresCluster.StartThrowawayAsync(new LocalPostgresOptions { Fsync = false });

    public async Task DisposeAsync()
    {
        if (api is not null) await api.DisposeAsync();
        await cluster.DisposeAsync();
    }
}
