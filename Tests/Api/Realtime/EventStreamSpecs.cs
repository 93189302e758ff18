using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CartGraph.Api.Realtime;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace CartGraph.Tests.Api.Realtime;

/// <summary>
/// GraphQL over Server-Sent Events at /graphql (graphql-sse's distinct connections mode), with the graphql-sse client
/// and raw requests: a subscription streams each result as <c>next</c>, <c>cartEvents</c> gives each one the event's
/// cursor as its SSE id, and a request with <c>Last-Event-ID</c> resumes after it, as EventSource does on reconnect.
/// </summary>
public sealed class EventStreamSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task The_graphql_sse_client_receives_every_event_of_a_subscription_and_closing_it_ends_the_subscription()
    {
        await NodeProject.Project.EnsureInstalledAsync();
        var shop = new Shop(api.Http, "sse-client");
        await shop.Create("cart-1");
        var created = (string)(await shop.History("cart-1"))[0]!["cursor"]!;
        await shop.Add("cart-1", "SKU-1");
        var feed = api.Services.GetRequiredService<CartFeed>();
        var before = feed.Subscriptions;

        var client = RunClientAsync(TestTokens.For(shop.TenantId), Operations.Document("CartEvents"), new { tenantId = shop.TenantId, cartId = "cart-1", after = created }, take: 3);
        await shop.Add("cart-1", "SKU-2");
        await shop.Add("cart-1", "SKU-3");
        var lines = await client;

        Assert.Equal([2L, 3L, 4L], lines.Take(3).Select(l => (long)l["data"]!["cartEvents"]!["streamPosition"]!));
        Assert.True(lines[3]["complete"] is not null, string.Join('\n', lines.Select(l => l.ToJsonString())));
        await Eventually(() => feed.Subscriptions == before, "the subscription ends once the client closed its request");
    }

    [Fact]
    public async Task A_query_over_the_graphql_sse_client_is_one_result_then_complete()
    {
        await NodeProject.Project.EnsureInstalledAsync();
        var shop = new Shop(api.Http, "sse-query");
        await shop.Create("cart-1");

        var lines = await RunClientAsync(TestTokens.For(shop.TenantId), Operations.Document("Cart"), new { tenantId = shop.TenantId, cartId = "cart-1" }, take: 0);

        Assert.Equal(2, lines.Count);
        Assert.Equal("cart-1", (string?)lines[0]["data"]!["cart"]!["cartId"]);
        Assert.True(lines[1]["complete"] is not null);
    }

    [Fact]
    public async Task Without_a_bearer_token_the_request_is_refused_401_before_any_stream()
    {
        await NodeProject.Project.EnsureInstalledAsync();
        var lines = await RunClientAsync(null, Operations.Document("CartEvents"), new { tenantId = "sse-anonymous" }, take: 0);
        Assert.Equal(401, (int?)lines.Single()["failed"]);

        using var anonymous = new HttpClient();
        await using var raw = await EventStream.OpenAsync(anonymous, api.GraphQL, null, Operations.Document("CartEvents"), new { tenantId = "sse-anonymous" });
        Assert.Equal(HttpStatusCode.Unauthorized, raw.Response.StatusCode);
        Assert.Equal("Bearer", raw.Response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Each_cartEvents_next_carries_the_cursor_as_its_id_and_Last_Event_ID_resumes_after_it_with_no_gap_and_no_duplicate()
    {
        var shop = new Shop(api.Http, "sse-resume");
        await shop.Create("cart-1");
        var token = TestTokens.For(shop.TenantId);
        var variables = new { tenantId = shop.TenantId };
        var received = new List<ServerSentEvent>();
        var feed = api.Services.GetRequiredService<CartFeed>();
        var before = feed.Subscriptions;

        await using (var first = await EventStream.OpenAsync(api.Http, api.GraphQL, token, Operations.Document("CartEvents"), variables))
        {
            Assert.Equal("text/event-stream", first.Response.Content.Headers.ContentType?.MediaType);
            await Eventually(() => feed.Subscriptions > before, "the subscription is live");
            for (var i = 1; i <= 3; i++) await shop.Add("cart-1", $"SKU-{i}");
            for (var i = 0; i < 3; i++) received.Add((await first.ReadAsync())!);
        }
        for (var i = 4; i <= 6; i++) await shop.Add("cart-1", $"SKU-{i}"); // while nobody listens
        await using (var resumed = await EventStream.OpenAsync(api.Http, api.GraphQL, token, Operations.Document("CartEvents"), variables, lastEventId: received[^1].Id))
        {
            for (var i = 7; i <= 8; i++) await shop.Add("cart-1", $"SKU-{i}");
            for (var i = 0; i < 5; i++) received.Add((await resumed.ReadAsync())!);
        }

        Assert.All(received, e => Assert.Equal("next", e.Event));
        Assert.Equal(Enumerable.Range(2, 8).Select(p => (long)p), received.Select(e => (long)e.Json!["data"]!["cartEvents"]!["streamPosition"]!));
        Assert.All(received, e => Assert.Equal((string?)e.Json!["data"]!["cartEvents"]!["cursor"], e.Id));
    }

    [Fact]
    public async Task A_Last_Event_ID_that_is_no_cursor_is_INVALID_CURSOR_in_the_stream_then_complete()
    {
        await using var stream = await EventStream.OpenAsync(
            api.Http, api.GraphQL, TestTokens.For("sse-bad-id"), Operations.Document("CartEvents"), new { tenantId = "sse-bad-id" }, lastEventId: "nonsense");

        var next = (await stream.ReadAsync())!;
        Assert.Equal("next", next.Event);
        Assert.Equal("INVALID_CURSOR", (string?)next.Json!["errors"]![0]!["extensions"]!["code"]);
        Assert.Equal("complete", (await stream.ReadAsync())!.Event);
        Assert.Null(await stream.ReadAsync());
    }

    private async Task<List<JsonNode>> RunClientAsync(string? token, string query, object variables, int take)
    {
        var request = JsonSerializer.Serialize(new { query, variables });
        var run = await NodeProject.Project.RunScriptAsync("sse.mjs", [api.GraphQL.ToString(), token ?? "-", request, take.ToString()]);
        Assert.True(run.Exit == 0, run.Errors);
        return run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
    }

    private static async Task Eventually(Func<bool> condition, string what) => await Eventually(() => Task.FromResult(condition()), what);

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }
}
