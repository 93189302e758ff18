using System.Net;
using System.Text;
using CartGraph.Tests.Api.EndToEnd;

namespace CartGraph.Tests.Api.Security;

/// <summary>Each limit on one request trips with its code, and the next request within the limits is answered as usual.</summary>
public sealed class QueryLimitSpecs(LimitedApi limited) : IClassFixture<LimitedApi>
{
    private const string Tenant = "lim-query";

    /// <summary>Within every limit: depth 2, a handful of fields, cost well under the limit.</summary>
    private const string Normal = "query($t: ID!) { carts(tenantId: $t, first: 1) { nodes { cartId } } }";

    [Fact]
    public async Task A_document_deeper_than_the_limit_is_refused_with_code_COMPLEXITY_and_a_shallow_one_runs_after()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);

        var deep = await http.GraphQLAsync("query($t: ID!) { carts(tenantId: $t, first: 1) { edges { node { items { sku } } } } }", new { t = Tenant });

        AssertRefused(deep, "COMPLEXITY", "nested");
        await AnswersNormallyAsync(http);
    }

    [Fact]
    public async Task A_document_costlier_than_the_limit_is_refused_with_code_COMPLEXITY_and_a_cheap_one_runs_after()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);

        var costly = await http.GraphQLAsync("query($t: ID!) { carts(tenantId: $t, first: 100) { nodes { cartId status currency total version } } }", new { t = Tenant });

        AssertRefused(costly, "COMPLEXITY", "complex");
        await AnswersNormallyAsync(http);
    }

    [Fact]
    public async Task A_document_with_more_selections_than_the_limit_is_refused_before_validation_with_DOCUMENT_TOO_LARGE()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);
        var fields = string.Join(" ", Enumerable.Range(0, LimitedApi.MaxSelections + 1).Select(i => $"a{i}: __typename"));

        var large = await http.GraphQLAsync($"{{ {fields} }}");

        AssertRefused(large, "DOCUMENT_TOO_LARGE", $"{LimitedApi.MaxSelections}");
        await AnswersNormallyAsync(http);
    }

    [Fact]
    public async Task Fragments_spread_within_fragments_deeper_than_the_depth_limit_are_refused_with_DOCUMENT_TOO_DEEP()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);
        static string Chain(int length) =>
            "query($t: ID!) { carts(tenantId: $t, first: 1) { nodes { ...F0 } } }\n"
            + string.Join("\n", Enumerable.Range(0, length).Select(i => i + 1 < length ? $"fragment F{i} on Cart {{ ...F{i + 1} }}" : $"fragment F{i} on Cart {{ cartId }}"));

        var tooDeep = await http.GraphQLAsync(Chain(LimitedApi.MaxQueryDepth + 1), new { t = Tenant });
        var deepEnough = await http.GraphQLAsync(Chain(LimitedApi.MaxQueryDepth), new { t = Tenant });

        AssertRefused(tooDeep, "DOCUMENT_TOO_DEEP", "Fragments");
        Assert.True(deepEnough is { Status: HttpStatusCode.OK, Errors: null }, $"Expected clean data, got {deepEnough}");
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_413_with_code_PAYLOAD_TOO_LARGE_and_the_next_request_is_answered()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);
        var body = System.Text.Json.JsonSerializer.Serialize(new { query = "{ __typename }", variables = new { padding = new string('x', LimitedApi.MaxRequestBytes) } });

        using var response = await http.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("PAYLOAD_TOO_LARGE", await response.Content.ReadAsStringAsync());
        await AnswersNormallyAsync(http);
    }

    /// <summary>Refused before execution: no data, one error with the code, a message that says which limit.</summary>
    internal static void AssertRefused(GraphQLResponse response, string code, string messagePart)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest && !response.Body.AsObject().ContainsKey("data"), $"Expected a request error, got {response}");
        var error = Assert.Single(response.Errors!)!;
        Assert.Equal(code, (string?)error["extensions"]?["code"]);
        Assert.Contains(messagePart, (string?)error["message"]);
    }

    private static async Task AnswersNormallyAsync(HttpClient http)
    {
        var data = await http.DataOfAsync(Normal, new { t = Tenant });
        Assert.NotNull(data["carts"]?["nodes"]);
    }
}
