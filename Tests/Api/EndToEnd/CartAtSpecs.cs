using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary><c>cartAt</c>: the cart folded from its stream up to a version or as of a time, over HTTP.</summary>
public sealed class CartAtSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private const string CartId = SeedExample.CartId;

    /// <summary>The seed's five steps, and each version's payload cart (what the decider left then).</summary>
    private static async Task<JsonNode[]> SeedStepsAsync(Shop shop) =>
    [
        (await shop.Succeeds("CreateCart", new { tenantId = shop.TenantId, cartId = CartId, currency = "USD" }))["cart"]!,
        (await shop.Succeeds("AddItemToCart", new { tenantId = shop.TenantId, cartId = CartId, item = new { sku = "SKU-123", name = "Item 123", quantity = 2, unitPrice = 25 } }))["cart"]!,
        (await shop.Succeeds("AddItemToCart", new { tenantId = shop.TenantId, cartId = CartId, item = new { sku = "SKU-456", name = "Item 456", quantity = 1, unitPrice = 15 } }))["cart"]!,
        (await shop.Succeeds("RemoveItemFromCart", new { tenantId = shop.TenantId, cartId = CartId, sku = "SKU-123", quantity = 1 }))["cart"]!,
        (await shop.Succeeds("CheckOutCart", new { tenantId = shop.TenantId, cartId = CartId, orderId = SeedExample.OrderId }))["cart"]!,
    ];

    /// <summary>What a cart was: everything but when the read model saw it.</summary>
    internal static string Was(JsonNode? cart) =>
        cart is null ? "null" : new JsonObject(cart.AsObject()
            .Where(p => p.Key is not ("createdAt" or "updatedAt"))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString();

    [Fact]
    public async Task At_each_of_the_seeds_five_versions_the_cart_is_as_that_step_left_it()
    {
        var shop = new Shop(api.Http, "cart-at-versions");
        var steps = await SeedStepsAsync(shop);

        for (var version = 1; version <= 5; version++)
            Assert.Equal(Was(steps[version - 1]), Was(await shop.CartAt(CartId, version: version)));

        var second = (await shop.CartAt(CartId, version: 2))!;
        Assert.Equal(("ACTIVE", 50m, 2), ((string)second["status"]!, (decimal)second["total"]!, (int)second["itemCount"]!));
        var last = (await shop.CartAt(CartId, version: 5))!;
        Assert.Equal(("CHECKED_OUT", 40m, SeedExample.OrderId), ((string)last["status"]!, (decimal)last["total"]!, (string)last["orderId"]!));
        // Past its end, a stream has nothing more to fold: the cart as it is.
        Assert.Equal(Was(steps[4]), Was(await shop.CartAt(CartId, version: 6)));
    }

    [Fact]
    public async Task As_of_a_time_the_cart_is_as_the_events_recorded_by_then_left_it_and_null_before_it_existed()
    {
        var shop = new Shop(api.Http, "cart-at-times");
        var steps = await SeedStepsAsync(shop);
        var created = (await shop.History(CartId)).Select(e => DateTimeOffset.Parse((string)e!["created"]!)).ToArray();
        Assert.Equal(5, created.Length);

        Assert.Null(await shop.CartAt(CartId, time: created[0].AddMilliseconds(-1)));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Was(steps[i]), Was(await shop.CartAt(CartId, time: created[i])));
            var between = i < 4 ? created[i] + (created[i + 1] - created[i]) / 2 : created[i].AddHours(1);
            Assert.Equal(Was(steps[i]), Was(await shop.CartAt(CartId, time: between)));
        }
    }

    [Fact]
    public async Task A_cart_that_never_existed_is_null_and_the_cart_now_is_unchanged_by_asking()
    {
        var shop = new Shop(api.Http, "cart-at-missing");
        Assert.Null(await shop.CartAt("never", version: 1));
        Assert.Null(await shop.CartAt("never", time: DateTimeOffset.UtcNow));
        Assert.Empty(await shop.History("never"));
    }

    private static int argumentCases;

    [Theory]
    [InlineData(null, null)]
    [InlineData(1L, "2024-01-01T00:00:00Z")]
    [InlineData(0L, null)]
    [InlineData(-3L, null)]
    public async Task Not_exactly_one_of_a_positive_version_and_a_time_is_a_VALIDATION_ERROR(long? version, string? time)
    {
        var tenant = $"cart-at-arguments-{Interlocked.Increment(ref argumentCases)}"; // a tenant per case: each creates its cart
        var shop = new Shop(api.Http, tenant);
        await shop.Create("cart-1");

        var answer = await api.Http.GraphQLAsync(Operations.Document("CartAt"), new { tenantId = tenant, cartId = "cart-1", version, time });

        Assert.Equal(["VALIDATION_ERROR"], answer.ErrorCodes);
        Assert.Null(answer.Data?["cartAt"]);
        Assert.DoesNotContain("Exception", answer.Body.ToJsonString());
    }

    [Fact]
    public async Task Another_tenants_cart_is_FORBIDDEN()
    {
        using var http = Bearer.For(api.BaseAddress, "cart-at-own");
        Assert.Equal("FORBIDDEN", await http.ErrorCodeOfAsync(Operations.Document("CartAt"), new { tenantId = "cart-at-other", cartId = "cart-1", version = 1 }));
    }
}
