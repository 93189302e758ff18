using System.Net;
using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>A malformed event in one cart, stored by another writer, beside healthy carts of the same tenant.</summary>
public sealed class ParkedCartSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Every_other_cart_is_projected_and_the_instance_stays_ready_reporting_the_parked_cart()
    {
        var shop = new Shop(api.Http, "parked-beside-healthy");
        await shop.Create("bad");
        await shop.Create("good");
        await ForeignWriter.AppendMalformedItemAsync(api.ConnectionString, shop.TenantId, "bad");

        await shop.Add("good", "SKU-1");
        await shop.Create("new");
        Assert.Equal(2L, (long)(await shop.Cart("good", atLeastVersion: 2))!["version"]!);
        Assert.Equal(1L, (long)(await shop.Cart("new", atLeastVersion: 1))!["version"]!);
        Assert.Equal(1L, (long)(await shop.Cart("bad"))!["version"]!);

        var (status, body) = await Integration.Eventually.Until(api.ReadinessAsync,
            r => r.Body["checks"]?["parked"]?["status"]?.GetValue<string>() == "degraded");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", (string?)body["status"]);
        var parked = body["checks"]!["parked"]!;
        Assert.Contains("parked stream(s)", (string?)parked["description"]);
        var entry = Assert.Single(parked["data"]!["streams"]!.AsArray(), s => (string?)s!["tenant"] == shop.TenantId)!;
        Assert.Equal(["carts-read-model", "parked-beside-healthy", "bad", "2", "ItemAddedToCart"],
            new[] { "projection", "tenant", "stream", "position", "type" }.Select(key => entry[key]!.ToString()));
        Assert.NotNull((string?)entry["since"]);
        Assert.Equal("healthy", (string?)body["checks"]!["processors"]!["status"]);
    }

    [Theory]
    [InlineData("CreateCart")]
    [InlineData("AddItemToCart")]
    [InlineData("RemoveItemFromCart")]
    [InlineData("EmptyCart")]
    [InlineData("CheckOutCart")]
    [InlineData("CancelCart")]
    [InlineData("ArchiveCart")]
    public async Task A_command_on_a_cart_whose_events_cannot_be_read_gets_CartUnreadableError_and_changes_nothing(string operation)
    {
        var shop = new Shop(api.Http, $"unreadable-{operation.ToLowerInvariant()}");
        await shop.Create("bad");
        await ForeignWriter.AppendMalformedItemAsync(api.ConnectionString, shop.TenantId, "bad");

        var error = await shop.RefusesWith("CartUnreadableError", "CART_UNREADABLE", "bad", operation, shop.InputOf(operation, "bad"));

        Assert.Equal(("bad", 2L, "ItemAddedToCart"), ((string?)error["cartId"], (long?)error["position"], (string?)error["eventType"]));
        Assert.DoesNotContain("Exception", (string?)error["message"]);
    }
}
