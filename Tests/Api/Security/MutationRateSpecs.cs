using System.Net;
using System.Text.Json.Nodes;
using CartGraph.Tests.Api.EndToEnd;

namespace CartGraph.Tests.Api.Security;

/// <summary>A tenant sending mutations faster than its rate gets RateLimitedError, writes nothing, and is served again in time; others are not slowed.</summary>
public sealed class MutationRateSpecs(LimitedApi limited) : IClassFixture<LimitedApi>
{
    private const string Create = """
        mutation($input: CreateCartInput!) {
          createCart(input: $input) { version errors { __typename ... on Error { code message } ... on RateLimitedError { tenantId retryAfterMs } } }
        }
        """;

    [Fact]
    public async Task Past_its_burst_a_tenant_gets_RateLimitedError_with_retryAfterMs_writes_nothing_and_is_served_after_waiting()
    {
        const string tenant = "lim-rate";
        using var http = Bearer.For(limited.BaseAddress, tenant, "lim-rate-other");

        var (served, refusal, refusedCart) = await SpendBurstAsync(http, tenant);
        var rows = await StoredRows.OfTenantAsync(limited.Api.ConnectionString, tenant);
        var other = await CreateAsync(http, "lim-rate-other", "meanwhile");
        await Task.Delay((int)refusal["retryAfterMs"]! + 50);
        var later = await CreateAsync(http, tenant, "later");

        Assert.True(served >= LimitedApi.MutationBurstPerTenant, $"Only {served} mutations were served before the first refusal");
        Assert.Equal(("RateLimitedError", "RATE_LIMITED", tenant), ((string?)refusal["__typename"], (string?)refusal["code"], (string?)refusal["tenantId"]));
        Assert.DoesNotContain(rows, row => row.Contains(refusedCart, StringComparison.Ordinal));
        Assert.Null(other["errors"]);
        Assert.Null(later["errors"]);
    }

    [Fact]
    public async Task An_empty_bucket_refills_at_the_configured_rate_not_faster()
    {
        const string tenant = "lim-rate-sustained";
        using var http = Bearer.For(limited.BaseAddress, tenant);

        var (_, refusal, _) = await SpendBurstAsync(http, tenant);
        var served = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            if ((await CreateAsync(http, tenant, $"sustained-{i}"))["errors"] is null) served++;
            await Task.Delay(20);
        }

        // One mutation comes back every 1000 / rate ms: the wait announced is about that, and a second serves about rate.
        Assert.InRange((int)refusal["retryAfterMs"]!, 1000 / LimitedApi.MutationsPerSecondPerTenant * 8 / 10, 1000 / LimitedApi.MutationsPerSecondPerTenant + 50);
        Assert.InRange(served, 0, LimitedApi.MutationsPerSecondPerTenant + 1);
    }

    [Fact]
    public async Task Mutations_over_a_socket_draw_on_the_same_bucket()
    {
        const string tenant = "lim-rate-socket";
        using var http = Bearer.For(limited.BaseAddress, tenant);
        await SpendBurstAsync(http, tenant);
        await using var socket = await Bearer.SocketFor(limited.BaseAddress, tenant);

        await socket.SubscribeAsync("m", Create, new { input = new { tenantId = tenant, cartId = "over-socket", currency = "USD" } });
        var next = await socket.ReceiveAsync();

        var error = next.GetProperty("payload").GetProperty("data").GetProperty("createCart").GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("RATE_LIMITED", error.GetProperty("code").GetString());
    }

    /// <summary>Mutations as fast as one client sends them until the first refusal: how many were served, the refusal, the cart it was for.</summary>
    private static async Task<(int Served, JsonNode Refusal, string Cart)> SpendBurstAsync(HttpClient http, string tenant)
    {
        for (var served = 0; served < LimitedApi.MutationBurstPerTenant + 10; served++)
        {
            var cartId = $"burst-{served}";
            var payload = await CreateAsync(http, tenant, cartId);
            if (payload["errors"] is JsonArray errors) return (served, Assert.Single(errors)!, cartId);
        }
        throw new Xunit.Sdk.XunitException("No mutation was refused");
    }

    private static async Task<JsonNode> CreateAsync(HttpClient http, string tenant, string cartId)
    {
        var response = await http.GraphQLAsync(Create, new { input = new { tenantId = tenant, cartId, currency = "USD" } });
        Assert.True(response is { Status: HttpStatusCode.OK, Errors: null }, $"Expected 200 without GraphQL errors, got {response}");
        return response.Data!["createCart"]!;
    }
}
