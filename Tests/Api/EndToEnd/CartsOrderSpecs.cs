using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary><c>carts(orderBy:)</c>: by total or by last update, newest first, with keyset cursors that stay stable while carts change.</summary>
public sealed class CartsOrderSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private static async Task<List<JsonNode>> AllPages(Shop shop, string orderBy, int first, Func<int, Task>? betweenPages = null)
    {
        var pages = new List<JsonNode>();
        string? after = null;
        do
        {
            pages.Add(await shop.Carts(first: first, after: after, orderBy: orderBy));
            after = (string?)pages[^1]["pageInfo"]!["endCursor"];
            if (betweenPages is not null) await betweenPages(pages.Count);
        } while ((bool)pages[^1]["pageInfo"]!["hasNextPage"]! && pages.Count < 20);
        return pages;
    }

    [Fact]
    public async Task Total_desc_lists_the_largest_carts_first_ties_by_cart_id_and_pages_stay_stable_while_totals_change()
    {
        var shop = new Shop(api.Http, "e2e-order-total");
        (string Id, int Quantity)[] carts = [("c-1", 3), ("c-2", 1), ("c-3", 5), ("c-4", 1), ("c-5", 2), ("c-6", 4), ("c-7", 0)];
        foreach (var (id, quantity) in carts)
        {
            await shop.Create(id);
            if (quantity > 0) await shop.Add(id, "SKU-1", quantity, unitPrice: 10m);
        }
        foreach (var (id, quantity) in carts) Assert.NotNull(await shop.Cart(id, atLeastVersion: quantity > 0 ? 2 : 1));

        // After the first page, the largest cart grows: it was passed, so it is not met again, and nothing is skipped.
        var pages = await AllPages(shop, "TOTAL_DESC", first: 2, async page =>
        {
            if (page == 1) Assert.NotNull(await shop.Cart("c-3", atLeastVersion: (long)(await shop.Add("c-3", "SKU-2", 1, 1m))["cart"]!["version"]!));
        });

        Assert.Equal(["c-3", "c-6", "c-1", "c-5", "c-2", "c-4", "c-7"], pages.SelectMany(Shop.IdsOf));
        var fresh = await shop.Carts(first: 10, orderBy: "TOTAL_DESC");
        Assert.Equal([51m, 40m, 30m, 20m, 10m, 10m, 0m], fresh["edges"]!.AsArray().Select(e => (decimal)e!["node"]!["total"]!));
        Assert.Equal([6, 4, 3, 2, 1, 1, 0], fresh["edges"]!.AsArray().Select(e => (int)e!["node"]!["itemCount"]!));
    }

    [Fact]
    public async Task Updated_at_desc_lists_the_latest_changed_first_and_a_cart_changed_while_paging_is_not_met_twice()
    {
        var shop = new Shop(api.Http, "e2e-order-updated");
        string[] ids = ["u-1", "u-2", "u-3", "u-4", "u-5"];
        foreach (var id in ids) await shop.Create(id);
        await shop.Add("u-2", "SKU-1");
        foreach (var id in ids) Assert.NotNull(await shop.Cart(id, atLeastVersion: id == "u-2" ? 2 : 1));

        var pages = await AllPages(shop, "UPDATED_AT_DESC", first: 2, async page =>
        {
            if (page == 1) Assert.NotNull(await shop.Cart("u-5", atLeastVersion: (long)(await shop.Add("u-5", "SKU-1"))["cart"]!["version"]!));
        });

        Assert.Equal(["u-2", "u-5", "u-4", "u-3", "u-1"], pages.SelectMany(Shop.IdsOf));
        Assert.Equal(["u-5", "u-2", "u-4", "u-3", "u-1"], Shop.IdsOf(await shop.Carts(first: 10, orderBy: "UPDATED_AT_DESC")));
    }

    [Fact]
    public async Task A_cursor_of_another_order_is_refused()
    {
        var shop = new Shop(api.Http, "e2e-order-cursor");
        await shop.Create("x-1");
        await shop.Create("x-2");
        Assert.NotNull(await shop.Cart("x-2", atLeastVersion: 1));
        var byId = await shop.Carts(first: 1);

        var answer = await api.Http.GraphQLAsync(Operations.Document("Carts"),
            new { tenantId = shop.TenantId, first = 1, after = (string?)byId["pageInfo"]!["endCursor"], orderBy = "TOTAL_DESC" });

        Assert.Contains("after", answer.Body["errors"]![0]!["message"]!.ToString());
    }
}
