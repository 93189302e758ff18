using System.Diagnostics;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>The <c>cart</c> query: null when there is none, and a client can wait to read its own write.</summary>
public sealed class CartQuerySpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_cart_that_does_not_exist_is_null()
    {
        var shop = new Shop(api.Http, "e2e-query-missing");

        Assert.Null(await shop.Cart("missing"));
    }

    [Fact]
    public async Task A_cart_at_least_at_a_version_reads_the_write_just_made()
    {
        var shop = new Shop(api.Http, "e2e-query-own-write");
        await shop.Create("cart-1", "EUR");
        await shop.Add("cart-1", "SKU-1", quantity: 3, unitPrice: 2.5m);
        await shop.Add("cart-1", "SKU-2", quantity: 1, unitPrice: 4m);
        var removed = await shop.Remove("cart-1", "SKU-1");

        var cart = await shop.Cart("cart-1", atLeastVersion: (long)removed["version"]!);

        Assert.Equal(4L, (long)cart!["version"]!);
        Assert.Equal(("ACTIVE", "EUR", 9m), ((string)cart["status"]!, (string)cart["currency"]!, (decimal)cart["total"]!));
        Assert.Equal([("SKU-1", 2), ("SKU-2", 1)], cart["items"]!.AsArray().Select(i => ((string)i!["sku"]!, (int)i["quantity"]!)));
        Assert.NotNull((string?)cart["updatedAt"]);
    }

    [Fact]
    public async Task A_version_never_reached_answers_the_cart_as_it_is_after_a_bounded_wait()
    {
        var shop = new Shop(api.Http, "e2e-query-never-reached");
        await shop.Create("cart-1");
        var clock = Stopwatch.StartNew();

        var cart = await shop.Cart("cart-1", atLeastVersion: 99);

        Assert.Equal(1L, (long)cart!["version"]!);
        // It waited for the version (up to 5 s, the documented bound), then gave up rather than hang.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("Cart", "Not A Tenant", "cart-1")]
    [InlineData("Cart", "-starts-with-a-dash", "cart-1")]
    [InlineData("Cart", "e2e-query-invalid", "")]
    [InlineData("CartHistory", "Not A Tenant", "cart-1")]
    [InlineData("CartHistory", "e2e-query-invalid", "")]
    public async Task An_invalid_tenant_or_cart_id_is_a_VALIDATION_ERROR(string operation, string tenantId, string cartId)
    {
        Assert.Equal("VALIDATION_ERROR", await api.Http.ErrorCodeOfAsync(Operations.Document(operation), new { tenantId, cartId }));
    }

    [Fact]
    public async Task An_invalid_tenant_id_of_carts_is_a_VALIDATION_ERROR()
    {
        Assert.Equal("VALIDATION_ERROR", await api.Http.ErrorCodeOfAsync(Operations.Document("Carts"), new { tenantId = "UPPER" }));
    }
}
