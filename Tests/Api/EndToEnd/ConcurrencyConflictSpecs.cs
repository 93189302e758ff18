namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>Optimistic concurrency: a command based on a version the cart has moved past changes nothing.</summary>
public sealed class ConcurrencyConflictSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_stale_expected_version_gets_ConcurrencyConflictError_with_both_versions()
    {
        var shop = new Shop(api.Http, "e2e-conflict-stale");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1");

        var error = await shop.RefusesWith("ConcurrencyConflictError", "CONCURRENCY_CONFLICT", "cart-1", "AddItemToCart",
            shop.AddInput("cart-1", "SKU-2", expectedVersion: 1));

        Assert.Equal(("cart-1", 1L, 2L), ((string)error["cartId"]!, (long)error["expectedVersion"]!, (long)error["actualVersion"]!));
    }

    [Fact]
    public async Task The_current_expected_version_applies_the_command()
    {
        var shop = new Shop(api.Http, "e2e-conflict-current");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1");

        var added = await shop.Succeeds("AddItemToCart", shop.AddInput("cart-1", "SKU-2", expectedVersion: 2));

        Assert.Equal(3L, (long)added["version"]!);
    }

    [Fact]
    public async Task A_stale_expected_version_does_not_archive_the_cart()
    {
        var shop = new Shop(api.Http, "e2e-conflict-archive");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1");

        var error = await shop.RefusesWith("ConcurrencyConflictError", "CONCURRENCY_CONFLICT", "cart-1", "ArchiveCart",
            new { tenantId = shop.TenantId, cartId = "cart-1", expectedVersion = 1 });

        Assert.Equal((1L, 2L), ((long)error["expectedVersion"]!, (long)error["actualVersion"]!));
        Assert.Equal(2L, (long)(await shop.Cart("cart-1", atLeastVersion: 2))!["version"]!);
    }
}
