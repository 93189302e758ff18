using System.Net;
using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>
/// Relay's global object identification over real HTTP: a cart's <c>id</c> is global and opaque, <c>node(id:)</c> and
/// <c>nodes(ids:)</c> fetch carts again by it; null for an id naming no cart, FORBIDDEN for a tenant the token does not name.
/// </summary>
public sealed class NodeSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private const string Nodes = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Cart { cartId tenantId } } }";

    /// <summary>A cart created through the API, with the global id its payload gave.</summary>
    private async Task<(string CartId, string Id)> CartAsync(string tenant, string? cartId = null)
    {
        cartId ??= $"cart-{Guid.NewGuid():N}";
        var payload = await new Shop(api.Http, tenant).Create(cartId, "EUR");
        return (cartId, (string)payload["cart"]!["id"]!);
    }

    [Fact]
    public async Task A_carts_global_id_fetches_it_again_through_node()
    {
        var (cartId, id) = await CartAsync("node-fetch");
        using var http = Bearer.For(api.BaseAddress, "node-fetch");
        await new Shop(api.Http, "node-fetch").Cart(cartId, atLeastVersion: 1); // the read model has it

        var data = await http.DataOfAsync(Operations.Document("Node"), new { id });

        var node = data["node"]!;
        Assert.Equal(("Cart", id, cartId, "node-fetch"), ((string)node["__typename"]!, (string)node["id"]!, (string)node["cartId"]!, (string)node["tenantId"]!));
    }

    [Fact]
    public async Task The_same_cart_id_in_two_tenants_has_two_global_ids_that_hold_neither_in_clear()
    {
        var (_, first) = await CartAsync("node-tenant-a", "same-cart");
        var (_, second) = await CartAsync("node-tenant-b", "same-cart");

        Assert.NotEqual(first, second);
        Assert.DoesNotContain("same-cart", first);
        Assert.DoesNotContain("node-tenant-a", first);
    }

    [Fact]
    public async Task Nodes_answers_in_the_order_asked_with_null_for_an_id_naming_no_cart()
    {
        var (cartId, id) = await CartAsync("node-many");
        var missing = IdOf("node-many", "no-such-cart");
        using var http = Bearer.For(api.BaseAddress, "node-many");
        await new Shop(api.Http, "node-many").Cart(cartId, atLeastVersion: 1);

        var data = await http.DataOfAsync(Nodes, new { ids = new[] { missing, id } });

        var nodes = data["nodes"]!.AsArray();
        Assert.Equal(2, nodes.Count);
        Assert.Null(nodes[0]);
        Assert.Equal(cartId, (string?)nodes[1]!["cartId"]);
    }

    [Fact]
    public async Task A_node_of_a_tenant_the_token_does_not_name_is_FORBIDDEN_and_reads_nothing()
    {
        var (_, id) = await CartAsync("node-victim");
        using var intruder = Bearer.For(api.BaseAddress, "node-intruder");

        var answer = await intruder.GraphQLAsync(Operations.Document("Node"), new { id });

        Assert.True(answer is { Status: HttpStatusCode.OK }, $"Expected a field error, got {answer}");
        Assert.Null(answer.Data!["node"]);
        Assert.Equal(["FORBIDDEN"], answer.ErrorCodes);
    }

    [Fact]
    public async Task In_nodes_a_forbidden_id_is_null_with_its_error_at_its_index_and_the_others_are_answered()
    {
        var (cartId, own) = await CartAsync("node-mixed");
        var (_, foreign) = await CartAsync("node-foreign");
        using var http = Bearer.For(api.BaseAddress, "node-mixed");
        await new Shop(api.Http, "node-mixed").Cart(cartId, atLeastVersion: 1);

        var answer = await http.GraphQLAsync(Nodes, new { ids = new[] { own, foreign } });

        var nodes = answer.Data!["nodes"]!.AsArray();
        Assert.Equal(cartId, (string?)nodes[0]!["cartId"]);
        Assert.Null(nodes[1]);
        var error = Assert.Single(answer.Errors!)!;
        Assert.Equal("FORBIDDEN", (string?)error["extensions"]!["code"]);
        Assert.Equal(["nodes", 1], error["path"]!.AsArray().Select(p => p!.GetValueKind() == System.Text.Json.JsonValueKind.Number ? (object)(int)p : (string)p!));
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("Q2FydDo")] // base64url of "Cart:": no tenant, no cart
    [InlineData("VXNlcjphY21lOjE")] // base64url of "User:acme:1": not a type of ours
    public async Task An_id_that_is_no_global_id_of_ours_is_a_VALIDATION_ERROR(string id)
    {
        using var http = Bearer.For(api.BaseAddress, "node-invalid");

        Assert.Equal("VALIDATION_ERROR", await http.ErrorCodeOfAsync(Operations.Document("Node"), new { id }));
    }

    [Fact]
    public async Task More_ids_than_allowed_at_once_are_a_VALIDATION_ERROR()
    {
        using var http = Bearer.For(api.BaseAddress, "node-many-ids");
        var ids = Enumerable.Range(0, 101).Select(i => IdOf("node-many-ids", $"cart-{i}")).ToArray();

        var answer = await http.GraphQLAsync("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", new { ids });

        Assert.Contains("VALIDATION_ERROR", answer.ErrorCodes);
    }

    /// <summary>A global id built as a client never needs to: only to name a cart no payload returned.</summary>
    private static string IdOf(string tenant, string cartId) => CartGraph.Api.GraphQL.Relay.GlobalId.Of("Cart", CartGraph.Domain.Values.TenantId.Parse(tenant), cartId);
}
