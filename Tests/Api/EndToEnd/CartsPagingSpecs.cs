using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>The <c>carts</c> connection: keyset pages in cart id order, a status filter, and arguments checked.</summary>
public sealed class CartsPagingSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    /// <summary>Creates the carts and waits until the read model holds them all.</summary>
    private static async Task CreateAll(Shop shop, IEnumerable<string> cartIds)
    {
        foreach (var cartId in cartIds) await shop.Create(cartId);
        foreach (var cartId in cartIds) Assert.NotNull(await shop.Cart(cartId, atLeastVersion: 1));
    }

    [Fact]
    public async Task Pages_of_first_after_visit_every_cart_once_in_cart_id_order()
    {
        var shop = new Shop(api.Http, "e2e-paging");
        string[] cartIds = ["cart-07", "cart-03", "cart-01", "cart-05", "cart-02", "cart-06", "cart-04"];
        await CreateAll(shop, cartIds);

        var pages = new List<JsonNode>();
        string? after = null;
        do
        {
            pages.Add(await shop.Carts(first: 3, after: after));
            after = (string?)pages[^1]["pageInfo"]!["endCursor"];
        } while ((bool)pages[^1]["pageInfo"]!["hasNextPage"]! && pages.Count < 10);

        Assert.Equal([3, 3, 1], pages.Select(p => Shop.IdsOf(p).Count));
        Assert.Equal(cartIds.Order(StringComparer.Ordinal), pages.SelectMany(Shop.IdsOf));
        Assert.Equal([false, true, true], pages.Select(p => (bool)p["pageInfo"]!["hasPreviousPage"]!));
        Assert.All(pages, p =>
        {
            var cursors = p["edges"]!.AsArray().Select(e => (string?)e!["cursor"]).ToList();
            Assert.Equal(cursors[0], (string?)p["pageInfo"]!["startCursor"]);
            Assert.Equal(cursors[^1], (string?)p["pageInfo"]!["endCursor"]);
        });
    }

    [Fact]
    public async Task A_page_after_the_last_cart_is_empty_with_no_cursors()
    {
        var shop = new Shop(api.Http, "e2e-paging-past-end");
        await CreateAll(shop, ["cart-1", "cart-2"]);
        var all = await shop.Carts();

        var past = await shop.Carts(after: (string?)all["pageInfo"]!["endCursor"]);

        Assert.Equal(["cart-1", "cart-2"], Shop.IdsOf(all));
        Assert.False((bool)all["pageInfo"]!["hasNextPage"]!);
        Assert.Empty(Shop.IdsOf(past));
        Assert.Equal((false, null, null), ((bool)past["pageInfo"]!["hasNextPage"]!, (string?)past["pageInfo"]!["startCursor"], (string?)past["pageInfo"]!["endCursor"]));
    }

    [Fact]
    public async Task The_status_filter_keeps_only_carts_in_that_status()
    {
        var shop = new Shop(api.Http, "e2e-paging-status");
        await CreateAll(shop, ["active-1", "active-2", "done-1", "done-2", "gone-1"]);
        foreach (var cartId in new[] { "done-1", "done-2", "gone-1" }) await shop.Add(cartId, "SKU-1");
        await shop.CheckOut("done-1");
        await shop.CheckOut("done-2");
        await shop.Cancel("gone-1");
        foreach (var cartId in new[] { "done-1", "done-2", "gone-1" }) await shop.Cart(cartId, atLeastVersion: 3);

        Assert.Equal(["active-1", "active-2"], Shop.IdsOf(await shop.Carts(status: "ACTIVE")));
        Assert.Equal(["done-1", "done-2"], Shop.IdsOf(await shop.Carts(status: "CHECKED_OUT")));
        Assert.Equal(["gone-1"], Shop.IdsOf(await shop.Carts(status: "CANCELLED")));
        var firstCheckedOut = await shop.Carts(first: 1, status: "CHECKED_OUT");
        Assert.Equal(["done-2"], Shop.IdsOf(await shop.Carts(first: 1, after: (string?)firstCheckedOut["pageInfo"]!["endCursor"], status: "CHECKED_OUT")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-1)]
    public async Task First_out_of_1_to_100_is_a_VALIDATION_ERROR(int first)
    {
        Assert.Equal("VALIDATION_ERROR", await api.Http.ErrorCodeOfAsync(Operations.Document("Carts"), new { tenantId = "e2e-paging-first", first }));
    }

    [Fact]
    public async Task First_of_100_is_allowed()
    {
        Assert.Empty(Shop.IdsOf(await new Shop(api.Http, "e2e-paging-hundred").Carts(first: 100)));
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("not-a-cursor")]
    [InlineData("garbage")]
    [InlineData("")]
    public async Task A_garbage_after_cursor_is_a_VALIDATION_ERROR(string after)
    {
        Assert.Equal("VALIDATION_ERROR", await api.Http.ErrorCodeOfAsync(Operations.Document("Carts"), new { tenantId = "e2e-paging-garbage", after }));
    }
}
