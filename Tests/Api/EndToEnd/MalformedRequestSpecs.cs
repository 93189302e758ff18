using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>Requests the whole app cannot execute get the GraphQL-over-HTTP spec's status codes (the transport's own tests are exhaustive).</summary>
public sealed class MalformedRequestSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private const string GraphQLResponseJson = "application/graphql-response+json";

    [Fact]
    public async Task A_body_that_is_not_JSON_is_400()
    {
        using var response = await api.Http.PostAsync("/graphql", new StringContent("""{"query": "{ carts""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]);
    }

    [Fact]
    public async Task An_unknown_field_is_400_in_graphql_response_json_with_errors_and_no_data()
    {
        var response = await api.Http.GraphQLAsync("""{ cart(tenantId: "e2e-malformed", cartId: "c") { cartId colour } }""");

        Assert.Equal((HttpStatusCode.BadRequest, GraphQLResponseJson), (response.Status, response.MediaType));
        Assert.NotEmpty(response.Errors!);
        Assert.False(response.Body.AsObject().ContainsKey("data"));
    }

    [Fact]
    public async Task A_mutation_over_GET_is_405_and_creates_nothing()
    {
        var query = Uri.EscapeDataString(Operations.Document("CreateCart"));
        var variables = Uri.EscapeDataString("""{"input": {"tenantId": "e2e-malformed-get", "cartId": "cart-1", "currency": "USD"}}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/graphql?query={query}&variables={variables}");
        request.Headers.Accept.ParseAdd(GraphQLResponseJson);

        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Empty(await new Shop(api.Http, "e2e-malformed-get").History("cart-1"));
    }

    [Fact]
    public async Task A_query_over_GET_is_answered()
    {
        var query = Uri.EscapeDataString(Operations.Document("Cart"));
        var variables = Uri.EscapeDataString("""{"tenantId": "e2e-malformed-get-query", "cartId": "missing"}""");

        var body = await api.Http.GetFromJsonAsync<JsonNode>($"/graphql?query={query}&variables={variables}");

        Assert.True(body!["data"]!.AsObject().ContainsKey("cart"));
        Assert.Null(body["data"]!["cart"]);
    }
}
