using System.Net;
using System.Text.Json.Nodes;
using CartGraph.Tests.Api.EndToEnd;
using static CartGraph.Tests.Api.Security.VictimTenant;

namespace CartGraph.Tests.Api.Security;

/// <summary>A token that does not name a tenant changes none of its carts: a ForbiddenError in the payload, nothing written.</summary>
public sealed class MutationIsolationSpecs(VictimTenant fixture) : IClassFixture<VictimTenant>
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var operation in new[] { "CreateCart", "AddItemToCart", "RemoveItemFromCart", "EmptyCart", "CheckOutCart", "CancelCart", "ArchiveCart" })
            foreach (var intruder in Intruders)
                cases.Add(operation, intruder);
            return cases;
        }
    }

    /// <summary>An input the command would accept from the victim: refusing it is the token's doing alone.</summary>
    private static object InputOf(string operation) => operation switch
    {
        "CreateCart" => new { tenantId = Victim, cartId = "cart-new", currency = "EUR" },
        "AddItemToCart" => new { tenantId = Victim, cartId = CartId, item = new { sku = "stolen", name = "Stolen", quantity = 1, unitPrice = 1m } },
        "RemoveItemFromCart" => new { tenantId = Victim, cartId = CartId, sku = $"{Secret}-1", quantity = 1 },
        "EmptyCart" => new { tenantId = Victim, cartId = CartId },
        "CheckOutCart" => new { tenantId = Victim, cartId = CartId, orderId = "order-stolen" },
        "CancelCart" => new { tenantId = Victim, cartId = CartId, reason = "Not yours" },
        "ArchiveCart" => new { tenantId = Victim, cartId = CartId },
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_mutation_for_a_tenant_the_token_does_not_name_is_forbidden_and_writes_nothing(string operation, string intruder)
    {
        var before = await StoredRows.OfDatabaseAsync(fixture.Api.ConnectionString);
        var cartBefore = await fixture.VictimShop.Cart(CartId);
        using var http = Bearer.For(fixture.Api.BaseAddress, TenantsOf(intruder));

        var response = await http.GraphQLAsync(Operations.Document(operation), new { input = InputOf(operation) });

        Assert.True(response is { Status: HttpStatusCode.OK, Errors: null }, $"Expected 200 without GraphQL errors, got {response}");
        var payload = response.Data![char.ToLowerInvariant(operation[0]) + operation[1..]]!;
        var error = Assert.Single(payload["errors"]!.AsArray())!;
        Assert.Equal(("ForbiddenError", "FORBIDDEN", Victim), ((string?)error["__typename"], (string?)error["code"], (string?)error["tenantId"]));
        Assert.Null(payload["cart"]);
        Assert.Null(payload["version"]);
        Assert.DoesNotContain(Secret, response.Body.ToJsonString());
        Assert.Equal(before, await StoredRows.OfDatabaseAsync(fixture.Api.ConnectionString));
        Assert.True(JsonNode.DeepEquals(cartBefore, await fixture.VictimShop.Cart(CartId)));
    }
}
