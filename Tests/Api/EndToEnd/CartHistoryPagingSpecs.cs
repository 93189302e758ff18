using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>
/// <c>cartHistory</c> as a Relay connection by stream position: pages with no gap and no duplicate, each event with the
/// cart right after it, and a bound on a page.
/// </summary>
public sealed class CartHistoryPagingSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    /// <summary>A cart of <paramref name="events"/> events (created, then items added, one removed now and then), and each version's payload cart.</summary>
    private static async Task<List<JsonNode>> CartOfAsync(Shop shop, string cartId, int events)
    {
        var carts = new List<JsonNode> { (await shop.Create(cartId))["cart"]! };
        for (var i = 2; i <= events; i++)
            carts.Add((i % 5 == 0
                ? await shop.Succeeds("RemoveItemFromCart", new { tenantId = shop.TenantId, cartId, sku = "SKU-1", quantity = 1 })
                : await shop.Add(cartId, i % 3 == 0 ? "SKU-2" : "SKU-1", quantity: i % 4 + 1, unitPrice: i % 3 == 0 ? 4m : 2.5m))["cart"]!);
        return carts;
    }

    [Fact]
    public async Task A_stream_longer_than_a_page_is_read_in_pages_with_no_gap_or_duplicate_each_event_with_the_cart_right_after_it()
    {
        var shop = new Shop(api.Http, "history-pages");
        var carts = await CartOfAsync(shop, "long", 23);

        var pages = new List<JsonNode>();
        string? after = null;
        do
        {
            pages.Add(await shop.HistoryPage("long", first: 10, after: after));
            after = (string?)pages[^1]["pageInfo"]!["endCursor"];
        } while ((bool)pages[^1]["pageInfo"]!["hasNextPage"]! && pages.Count < 10);

        Assert.Equal([10, 10, 3], pages.Select(p => p["edges"]!.AsArray().Count));
        Assert.Equal([false, true, true], pages.Select(p => (bool)p["pageInfo"]!["hasPreviousPage"]!));
        var events = pages.SelectMany(p => Shop.EventsOf(p)).ToList();
        Assert.Equal(Enumerable.Range(1, 23).Select(i => (long)i), events.Select(e => (long)e!["streamPosition"]!));
        // The cart on each entry is the fold to its position: as the command that appended it left it, and as cartAt says.
        for (var i = 0; i < 23; i++)
        {
            Assert.Equal(CartAtSpecs.Was(carts[i]), CartAtSpecs.Was(events[i]!["cart"]));
            Assert.Equal(CartAtSpecs.Was(await shop.CartAt("long", version: i + 1)), CartAtSpecs.Was(events[i]!["cart"]));
        }
        Assert.All(pages, p =>
        {
            var cursors = p["edges"]!.AsArray().Select(e => (string?)e!["cursor"]).ToList();
            Assert.Equal(cursors[0], (string?)p["pageInfo"]!["startCursor"]);
            Assert.Equal(cursors[^1], (string?)p["pageInfo"]!["endCursor"]);
        });
        Assert.Empty(Shop.EventsOf(await shop.HistoryPage("long", after: (string?)pages[^1]["pageInfo"]!["endCursor"])));
    }

    [Fact]
    public async Task A_page_holds_100_events_unless_asked_and_at_most_1000()
    {
        var shop = new Shop(api.Http, "history-bounds");
        await CartOfAsync(shop, "cart-1", 103);

        var page = await shop.HistoryPage("cart-1");
        Assert.Equal(100, page["edges"]!.AsArray().Count);
        Assert.True((bool)page["pageInfo"]!["hasNextPage"]!);
        // 1 000 events with the cart after each is past the operation complexity bound: a client asking for that many
        // asks for less of each.
        Assert.Equal(103, (await api.Http.DataOfAsync(Positions, new { tenantId = shop.TenantId, cartId = "cart-1", first = 1000 }))
            ["cartHistory"]!["edges"]!.AsArray().Count);
        var tooComplex = await api.Http.GraphQLAsync(Operations.Document("CartHistory"), new { tenantId = shop.TenantId, cartId = "cart-1", first = 1000 });
        Assert.Equal(["COMPLEXITY"], tooComplex.ErrorCodes);

        foreach (var first in new[] { 1001, 0, -1 })
            Assert.Equal("VALIDATION_ERROR", await api.Http.ErrorCodeOfAsync(Positions, new { tenantId = shop.TenantId, cartId = "cart-1", first }));
    }

    private const string Positions = """
        query ($tenantId: ID!, $cartId: ID!, $first: Int) {
          cartHistory(tenantId: $tenantId, cartId: $cartId, first: $first) { edges { node { streamPosition } } }
        }
        """;

    [Fact]
    public async Task An_after_that_is_no_cursor_of_the_history_is_a_VALIDATION_ERROR()
    {
        var shop = new Shop(api.Http, "history-cursors");
        await shop.Create("cart-1");
        await shop.Cart("cart-1", atLeastVersion: 1); // the read model holds it, so the carts page has a cursor
        var cartsCursor = (string)(await shop.Carts())["pageInfo"]!["endCursor"]!;
        Assert.NotNull(cartsCursor);
        var eventCursor = (string)(await shop.History("cart-1"))[0]!["cursor"]!;

        foreach (var after in new[] { "", "not a cursor", cartsCursor, eventCursor })
            Assert.Equal("VALIDATION_ERROR", await api.Http.ErrorCodeOfAsync(
                Operations.Document("CartHistory"), new { tenantId = shop.TenantId, cartId = "cart-1", after }));
    }
}
