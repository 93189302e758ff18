using System.Text.Json.Nodes;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Transport;

namespace CartGraph.Tests.Api.Realtime;

/// <summary>
/// A client that lost its subscription resumes from the cursor of the last event it received: every event after it, in
/// commit order, then the live ones, with no gap and no duplicate at the hand-over, while changes keep coming.
/// </summary>
public sealed class ResumeSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private const int Changes = 30;

    [Theory]
    [InlineData("cart-1")]
    [InlineData(null)]
    public async Task Resuming_after_the_last_cursor_seen_across_a_disconnect_misses_and_repeats_nothing_while_changes_keep_coming(string? cartId)
    {
        var shop = new Shop(api.Http, $"resume-{(cartId is null ? "tenant" : "cart")}");
        await shop.Create("cart-1");
        await shop.Create("cart-2");
        var received = new List<JsonNode>();
        Task writing;
        await using (var first = await CartEvents(shop, cartId, after: null))
        {
            writing = WriteAsync(shop);
            received.AddRange(await first.NextAsync(4));
        }
        await Task.Delay(300); // changes go on while nobody listens
        await using (var resumed = await CartEvents(shop, cartId, after: (string)received[^1]["cursor"]!))
        {
            await writing;
            received.AddRange(await resumed.NextUntilAsync(e => (string)e["cartId"]! == "cart-1" && (long)e["streamPosition"]! == Changes + 1));
        }

        // One writer, one change at a time: commit order is the order of writing, and so of global positions.
        var expected = Enumerable.Range(2, Changes)
            .SelectMany(position => cartId is null ? new[] { ("cart-2", (long)position), ("cart-1", (long)position) } : [("cart-1", (long)position)])
            .ToList();
        Assert.Equal(expected, received.Select(e => ((string)e["cartId"]!, (long)e["streamPosition"]!)));
        Assert.Equal(received.Count, received.Select(e => (string)e["cursor"]!).Distinct().Count());
    }

    [Fact]
    public async Task An_after_that_is_no_cursor_or_another_tenants_is_an_error_with_a_code()
    {
        var shop = new Shop(api.Http, "resume-errors");
        var other = new Shop(api.Http, "resume-errors-other");
        await other.Create("cart-1");
        var otherCursor = (string)(await other.History("cart-1"))[0]!["cursor"]!;

        Assert.Equal("INVALID_CURSOR", await SubscriptionErrorAsync(shop, "not a cursor"));
        Assert.Equal("INVALID_CURSOR", await SubscriptionErrorAsync(shop, Convert.ToBase64String("resume-errors:x:1"u8.ToArray())));
        Assert.Equal("CURSOR_OF_ANOTHER_TENANT", await SubscriptionErrorAsync(shop, otherCursor));
    }

    [Fact]
    public async Task CartChanged_after_an_older_version_pushes_the_cart_at_once()
    {
        var shop = new Shop(api.Http, "resume-changed");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1");
        await shop.Add("cart-1", "SKU-2");
        await shop.Cart("cart-1", atLeastVersion: 3); // projected: what the subscription reads is this version

        await using var subscriber = await Subscriber.SubscribeAsync(api.WebSocket, "CartChanged", new { tenantId = shop.TenantId, cartId = "cart-1", afterVersion = 1L });
        var cart = await subscriber.NextAsync();
        await shop.Add("cart-1", "SKU-3");
        var next = await subscriber.NextAsync();

        Assert.Equal(3L, (long)cart["version"]!);
        Assert.Equal(4L, (long)next["version"]!);
    }

    private Task<Subscriber> CartEvents(Shop shop, string? cartId, string? after) =>
        Subscriber.SubscribeAsync(api.WebSocket, "CartEvents", new { tenantId = shop.TenantId, cartId, after });

    private static async Task WriteAsync(Shop shop)
    {
        for (var i = 1; i <= Changes; i++)
        {
            await shop.Add("cart-2", $"SKU-{i}");
            await shop.Add("cart-1", $"SKU-{i}");
            await Task.Delay(20);
        }
    }

    private async Task<string?> SubscriptionErrorAsync(Shop shop, string after)
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(api.WebSocket, new { authorization = Bearer.Header([shop.TenantId]) });
        await socket.SubscribeAsync("1", Operations.Document("CartEvents"), new { tenantId = shop.TenantId, after });
        var message = JsonNode.Parse((await socket.ReceiveAsync()).GetRawText())!;
        // The source stream's resolver refuses: a next with its error and no data (then complete), as for FORBIDDEN.
        Assert.True((string?)message["type"] == "next" && message["payload"]!["data"] is null, message.ToJsonString());
        return (string?)message["payload"]!["errors"]![0]!["extensions"]!["code"];
    }
}
