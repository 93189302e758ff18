using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>
/// A cart stored by an older writer (e.g. an Emmett service following the seed's command field names): schema version 0,
/// an item's price as <c>price</c>. Every read path reads it as today's events: mutations, the read model, the history,
/// the live events. A version nothing can read is a typed CART_UNREADABLE, never a crash nor a silent skip.
/// </summary>
public sealed class OlderWriterSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private static string AddedV0(string sku, int quantity, decimal price) =>
        $$$"""{"item": {"sku": "{{{sku}}}", "name": "Item {{{sku}}}", "quantity": {{{quantity}}}, "price": {{{price}}}}}""";

    private Task OlderWriterAppends(Shop shop, string cartId, string type, string json, string schemaVersion = "0") =>
        ForeignWriter.AppendAsync(api.ConnectionString, shop.TenantId, cartId, type, json, schemaVersion);

    /// <summary>Created in USD, then SKU-123 × 2 at 25, both under version 0, in a tenant this service already serves.</summary>
    private async Task OlderCartAsync(Shop shop, string cartId)
    {
        await shop.Create("neighbour"); // provisions the tenant's partitions, which an older writer finds in place
        await OlderWriterAppends(shop, cartId, "CartCreated", """{"currency": "USD"}""");
        await OlderWriterAppends(shop, cartId, "ItemAddedToCart", AddedV0("SKU-123", 2, 25m));
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString() ?? "null");

    [Fact]
    public async Task The_read_model_shows_a_version_0_item_with_its_unit_price()
    {
        var shop = new Shop(api.Http, "older-writer-read-model");
        await OlderCartAsync(shop, "old");

        var cart = (await shop.Cart("old", atLeastVersion: 2))!;

        AssertJson("""[{"sku": "SKU-123", "name": "Item SKU-123", "quantity": 2, "unitPrice": 25, "lineTotal": 50}]""", cart["items"]);
        Assert.Equal(50m, (decimal)cart["total"]!);
    }

    [Fact]
    public async Task A_mutation_on_a_version_0_cart_sees_its_item_and_price()
    {
        var shop = new Shop(api.Http, "older-writer-mutation");
        await OlderCartAsync(shop, "old");

        // The same sku at another price is refused: the command handler read the stored price as the unit price.
        await shop.RefusesWith("ItemDetailsMismatchError", "ITEM_DETAILS_MISMATCH", "old", "AddItemToCart",
            shop.AddInput("old", "SKU-123", 1, 10m));
        var payload = await shop.Add("old", "SKU-123", 1, 25m);

        Assert.Equal(3L, (long)payload["version"]!);
        AssertJson("""[{"sku": "SKU-123", "name": "Item SKU-123", "quantity": 3, "unitPrice": 25, "lineTotal": 75}]""", payload["cart"]!["items"]);
        var checkedOut = await shop.CheckOut("old");
        Assert.Equal(75m, (decimal)checkedOut["cart"]!["total"]!);
    }

    [Fact]
    public async Task The_history_shows_version_0_events_in_todays_shape()
    {
        var shop = new Shop(api.Http, "older-writer-history");
        await OlderCartAsync(shop, "old");
        await shop.Add("old", "SKU-456", 1, 15m);

        var history = await shop.History("old");

        Assert.Equal(["CartCreated", "ItemAddedToCart", "ItemAddedToCart"], history.Select(e => (string)e!["type"]!));
        AssertJson("""{"currency": "USD"}""", history[0]!["data"]);
        AssertJson("""{"item": {"sku": "SKU-123", "name": "Item SKU-123", "quantity": 2, "unitPrice": 25}}""", history[1]!["data"]);
        AssertJson("""{"item": {"sku": "SKU-456", "name": "Item SKU-456", "quantity": 1, "unitPrice": 15}}""", history[2]!["data"]);
    }

    [Fact]
    public async Task Live_events_show_a_version_0_event_in_todays_shape()
    {
        var shop = new Shop(api.Http, "older-writer-live");
        await shop.Create("old");
        await using var subscriber = await Subscriber.SubscribeAsync(api.WebSocket, "CartEvents", new { tenantId = shop.TenantId, cartId = "old" });

        await OlderWriterAppends(shop, "old", "ItemAddedToCart", AddedV0("SKU-123", 2, 25m));
        await shop.Add("old", "SKU-456", 1, 15m); // wakes the subscription, which reads the stream after what it pushed
        var events = await subscriber.NextAsync(2);

        Assert.Equal([2L, 3L], events.Select(e => (long)e["streamPosition"]!));
        AssertJson("""{"item": {"sku": "SKU-123", "name": "Item SKU-123", "quantity": 2, "unitPrice": 25}}""", events[0]["data"]);
    }

    [Fact]
    public async Task A_version_nothing_reads_is_CART_UNREADABLE_on_mutations_and_in_the_history_with_every_other_event_shown()
    {
        var shop = new Shop(api.Http, "older-writer-unknown");
        await OlderCartAsync(shop, "old");
        await OlderWriterAppends(shop, "old", "ItemAddedToCart", AddedV0("SKU-9", 1, 1m), schemaVersion: "7");

        var error = await shop.RefusesWith("CartUnreadableError", "CART_UNREADABLE", "old", "AddItemToCart", shop.InputOf("AddItemToCart", "old"));
        Assert.Equal(("old", 3L, "ItemAddedToCart"), ((string?)error["cartId"], (long?)error["position"], (string?)error["eventType"]));

        var answer = await shop.HistoryAnswer("old");
        var history = Shop.EventsOf(answer["data"]!["cartHistory"]!);
        Assert.Equal([1L, 2L, 3L], history.Select(e => (long)e!["streamPosition"]!));
        AssertJson("""{"item": {"sku": "SKU-123", "name": "Item SKU-123", "quantity": 2, "unitPrice": 25}}""", history[1]!["data"]);
        Assert.Null(history[2]!["data"]);
        // The cart after each event is known up to the one it cannot read, and from there on unknown: null, and said.
        Assert.Equal([1L, 2L], history.Take(2).Select(e => (long)e!["cart"]!["version"]!));
        Assert.Null(history[2]!["cart"]);
        var errors = answer["errors"]!.AsArray();
        Assert.Equal(2, errors.Count);
        AssertJson("""["cartHistory", "edges", 2, "node", "data"]""", errors[0]!["path"]);
        AssertJson("""["cartHistory", "edges", 2, "node", "cart"]""", errors[1]!["path"]);
        Assert.All(errors, unreadable =>
        {
            Assert.Equal("CART_UNREADABLE", (string?)unreadable!["extensions"]!["code"]);
            Assert.Contains("position 3", (string?)unreadable["message"]);
            Assert.DoesNotContain("Exception", (string?)unreadable["message"]);
        });
    }
}
