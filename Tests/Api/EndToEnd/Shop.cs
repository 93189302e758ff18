using System.Net;
using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>
/// One tenant's carts, driven as a frontend drives them: the documents of Api/Operations over HTTP. Every mutation
/// is checked to be answered 200 with no top-level error, whatever its outcome: a rejection lives in the payload.
/// </summary>
public sealed class Shop(HttpClient http, string tenantId)
{
    public string TenantId => tenantId;

    /// <summary>The mutation's payload, whatever it says.</summary>
    public async Task<JsonNode> PayloadOf(string operation, object input)
    {
        var response = await http.GraphQLAsync(Operations.Document(operation), new { input });
        Assert.True(response is { Status: HttpStatusCode.OK, Errors: null }, $"{operation} must answer 200 without GraphQL errors, got {response}");
        return response.Data!.AsObject().Single().Value!;
    }

    /// <summary>The payload of a mutation that must succeed: a cart, its version, no errors.</summary>
    public async Task<JsonNode> Succeeds(string operation, object input)
    {
        var payload = await PayloadOf(operation, input);
        Assert.True(payload["errors"] is null && payload["cart"] is not null, $"{operation} must succeed, got {payload.ToJsonString()}");
        Assert.Equal((long)payload["version"]!, (long)payload["cart"]!["version"]!);
        return payload;
    }

    /// <summary>
    /// The errors of a mutation the API must refuse: no cart, no version, and the cart's event stream exactly as it
    /// was before, so nothing was written (its history answered whole, errors of events it cannot read included).
    /// </summary>
    public async Task<JsonArray> Refuses(string cartId, string operation, object input)
    {
        var before = await HistoryAnswer(cartId);
        var payload = await PayloadOf(operation, input);
        Assert.True(payload["errors"] is JsonArray { Count: > 0 }, $"{operation} must be refused, got {payload.ToJsonString()}");
        Assert.Null(payload["cart"]);
        Assert.Null(payload["version"]);
        var after = await HistoryAnswer(cartId);
        Assert.True(JsonNode.DeepEquals(before, after), $"{operation} was refused but wrote: {before.ToJsonString()} -> {after.ToJsonString()}");
        return payload["errors"]!.AsArray();
    }

    /// <summary>The one error of a refused mutation, checked to be of <paramref name="errorType"/> with <paramref name="code"/>.</summary>
    public async Task<JsonNode> RefusesWith(string errorType, string code, string cartId, string operation, object input)
    {
        var error = Assert.Single(await Refuses(cartId, operation, input))!;
        Assert.Equal(errorType, (string?)error["__typename"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
        return error;
    }

    /// <summary>A valid input of <paramref name="operation"/> for a cart: what a command needs, nothing more.</summary>
    public object InputOf(string operation, string cartId) => operation switch
    {
        "AddItemToCart" => new { tenantId, cartId, item = new { sku = "SKU-1", name = "Item 1", quantity = 1, unitPrice = 10m } },
        "RemoveItemFromCart" => new { tenantId, cartId, sku = "SKU-1", quantity = 1 },
        "CheckOutCart" => new { tenantId, cartId, total = 10m },
        "CancelCart" => new { tenantId, cartId, reason = "No longer needed" },
        "CreateCart" => new { tenantId, cartId, currency = "USD" },
        _ => new { tenantId, cartId },
    };

    public Task<JsonNode> Create(string cartId, string currency = "USD") =>
        Succeeds("CreateCart", new { tenantId, cartId, currency });

    public Task<JsonNode> Add(string cartId, string sku, int quantity = 1, decimal unitPrice = 10m, string? name = null) =>
        Succeeds("AddItemToCart", AddInput(cartId, sku, quantity, unitPrice, name));

    public object AddInput(string cartId, string sku, int quantity = 1, decimal unitPrice = 10m, string? name = null, long? expectedVersion = null) =>
        new { tenantId, cartId, item = new { sku, name = name ?? $"Item {sku}", quantity, unitPrice }, expectedVersion };

    public Task<JsonNode> Remove(string cartId, string sku, int quantity = 1) =>
        Succeeds("RemoveItemFromCart", new { tenantId, cartId, sku, quantity });

    public Task<JsonNode> Empty(string cartId) => Succeeds("EmptyCart", new { tenantId, cartId });

    public Task<JsonNode> CheckOut(string cartId, string? orderId = null) => Succeeds("CheckOutCart", new { tenantId, cartId, orderId });

    public Task<JsonNode> Cancel(string cartId, string reason = "Changed my mind") => Succeeds("CancelCart", new { tenantId, cartId, reason });

    public Task<JsonNode> Archive(string cartId) => Succeeds("ArchiveCart", new { tenantId, cartId });

    /// <summary>The cart as the read model holds it (waiting for <paramref name="atLeastVersion"/> when given), or null.</summary>
    public async Task<JsonNode?> Cart(string cartId, long? atLeastVersion = null) =>
        (await http.DataOfAsync(Operations.Document("Cart"), new { tenantId, cartId, atLeastVersion }))["cart"];

    /// <summary>The whole answer of <c>cartHistory</c> (its first page, 100 events), data and errors.</summary>
    public async Task<JsonNode> HistoryAnswer(string cartId) =>
        (await http.GraphQLAsync(Operations.Document("CartHistory"), new { tenantId, cartId })).Body;

    /// <summary>The events of a cart's history (its first page, 100 events), oldest first.</summary>
    public async Task<JsonArray> History(string cartId) => EventsOf(await HistoryPage(cartId));

    /// <summary>A page of <c>cartHistory</c>.</summary>
    public async Task<JsonNode> HistoryPage(string cartId, int? first = null, string? after = null) =>
        (await http.DataOfAsync(Operations.Document("CartHistory"), new { tenantId, cartId, first, after }))["cartHistory"]!;

    /// <summary>The events (nodes) of a page of <see cref="HistoryPage"/>.</summary>
    public static JsonArray EventsOf(JsonNode page) =>
        new(page["edges"]!.AsArray().Select(e => e!["node"]!.DeepClone()).ToArray());

    /// <summary>The cart as it was at that version or time (one of the two), or null.</summary>
    public async Task<JsonNode?> CartAt(string cartId, long? version = null, DateTimeOffset? time = null) =>
        (await http.DataOfAsync(Operations.Document("CartAt"), new { tenantId, cartId, version, time }))["cartAt"];

    public async Task<JsonNode> Carts(int? first = null, string? after = null, string? status = null, string? orderBy = null) =>
        (await http.DataOfAsync(Operations.Document("Carts"), new { tenantId, first, after, status, orderBy }))["carts"]!;

    /// <summary>The ids of a page of <see cref="Carts"/>.</summary>
    public static IReadOnlyList<string> IdsOf(JsonNode page) =>
        page["edges"]!.AsArray().Select(e => (string)e!["node"]!["cartId"]!).ToList();
}
