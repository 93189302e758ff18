using Npgsql;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>archiveCart: the cart leaves every query and takes no more commands; its events stay in the store.</summary>
public sealed class ArchiveCartSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    /// <summary>The cart's events in the archived partition: archiving keeps them, though no query reads them.</summary>
    private async Task<long> ArchivedEventsOf(string tenantId, string cartId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM emt_messages WHERE partition = $1 AND stream_id = $2 AND is_archived", connection)
        {
            Parameters = { new() { Value = tenantId }, new() { Value = cartId } },
        };
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task An_archived_cart_leaves_the_cart_and_carts_queries_and_its_history()
    {
        var shop = new Shop(api.Http, "e2e-archive");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1");
        await shop.Create("cart-2");
        await shop.Cart("cart-1", atLeastVersion: 2);
        await shop.Cart("cart-2", atLeastVersion: 1);

        var archived = await shop.Archive("cart-1");

        Assert.Equal(2L, (long)archived["version"]!);
        Assert.Equal("SKU-1", (string?)archived["cart"]!["items"]![0]!["sku"]);
        Assert.Null(await shop.Cart("cart-1"));
        Assert.Equal(["cart-2"], Shop.IdsOf(await shop.Carts()));
        // NOTE: cartHistory reads active streams only, as its description says: the history is kept, but not served.
        Assert.Empty(await shop.History("cart-1"));
        Assert.Equal(2L, await ArchivedEventsOf(shop.TenantId, "cart-1"));
    }

    [Fact]
    public async Task Creating_an_archived_cart_again_gets_CartArchivedError()
    {
        var shop = new Shop(api.Http, "e2e-archive-recreate");
        await shop.Create("cart-1");
        await shop.Archive("cart-1");

        var error = await shop.RefusesWith("CartArchivedError", "CART_ARCHIVED", "cart-1", "CreateCart",
            new { tenantId = shop.TenantId, cartId = "cart-1", currency = "USD" });

        Assert.Equal("cart-1", (string?)error["cartId"]);
        Assert.Null(await shop.Cart("cart-1"));
        Assert.Equal(1L, await ArchivedEventsOf(shop.TenantId, "cart-1"));
    }

    [Fact]
    public async Task Archiving_an_archived_cart_gets_CartArchivedError()
    {
        var shop = new Shop(api.Http, "e2e-archive-twice");
        await shop.Create("cart-1");
        await shop.Archive("cart-1");

        var error = await shop.RefusesWith("CartArchivedError", "CART_ARCHIVED", "cart-1", "ArchiveCart",
            new { tenantId = shop.TenantId, cartId = "cart-1" });

        Assert.Equal("cart-1", (string?)error["cartId"]);
    }

    [Theory]
    [InlineData("AddItemToCart")]
    [InlineData("RemoveItemFromCart")]
    [InlineData("EmptyCart")]
    [InlineData("CheckOutCart")]
    [InlineData("CancelCart")]
    public async Task Other_commands_on_an_archived_cart_find_no_cart(string operation)
    {
        var shop = new Shop(api.Http, $"e2e-archive-then-{operation.ToLowerInvariant()}");
        await shop.Create("cart-1");
        await shop.Archive("cart-1");

        // Its stream is out of reach: to every command but createCart, an archived cart is one that is not there.
        await shop.RefusesWith("CartNotFoundError", "CART_NOT_FOUND", "cart-1", operation, operation switch
        {
            "AddItemToCart" => shop.AddInput("cart-1", "SKU-1"),
            "RemoveItemFromCart" => new { tenantId = shop.TenantId, cartId = "cart-1", sku = "SKU-1", quantity = 1 },
            "CancelCart" => new { tenantId = shop.TenantId, cartId = "cart-1", reason = "Gone" },
            _ => new { tenantId = shop.TenantId, cartId = "cart-1" },
        });

        Assert.Equal(1L, await ArchivedEventsOf(shop.TenantId, "cart-1"));
    }

    [Fact]
    public async Task Archiving_a_cart_that_does_not_exist_gets_CartNotFoundError()
    {
        var shop = new Shop(api.Http, "e2e-archive-missing");
        await shop.Create("cart-1");

        await shop.RefusesWith("CartNotFoundError", "CART_NOT_FOUND", "missing", "ArchiveCart", new { tenantId = shop.TenantId, cartId = "missing" });

        Assert.NotNull(await shop.Cart("cart-1", atLeastVersion: 1));
    }
}
