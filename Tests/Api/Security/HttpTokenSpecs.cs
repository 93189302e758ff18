using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CartGraph.Tests.Api.EndToEnd;

namespace CartGraph.Tests.Api.Security;

/// <summary>Over HTTP only a valid bearer token gets an operation run: anything else is 401 with a Bearer challenge, and nothing is written.</summary>
public sealed class HttpTokenSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private const string Tenant = "sec-token";

    public static TheoryData<string> BadTokens => new(ForgedTokens.Kinds);

    [Fact]
    public async Task A_request_without_a_token_is_401_with_a_bearer_challenge_and_writes_nothing() =>
        await RefusedAsync(authorization: null, cartId: "no-token");

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_request_with_a_bad_token_is_401_and_writes_nothing(string kind) =>
        await RefusedAsync(ForgedTokens.Authorization(kind, Tenant), cartId: kind.Replace(' ', '-'));

    [Fact]
    public async Task A_valid_token_runs_mutations_and_queries()
    {
        using var http = Bearer.For(api.BaseAddress, Tenant);

        var created = await http.DataOfAsync(Operations.Document("CreateCart"), new { input = new { tenantId = Tenant, cartId = "valid", currency = "USD" } });
        var read = await http.GetFromJsonAsync<JsonNode>(GetUri(new { tenantId = Tenant, cartId = "valid" }));

        Assert.Null(created["createCart"]!["errors"]);
        Assert.Equal("valid", (string?)created["createCart"]!["cart"]!["cartId"]);
        Assert.Null(read!["errors"]);
        Assert.Equal(1L, (long)read["data"]!["cartHistory"]!["edges"]!.AsArray().Count);
    }

    private async Task RefusedAsync(string? authorization, string cartId)
    {
        var before = await StoredRows.OfDatabaseAsync(api.ConnectionString);
        using var http = Bearer.Client(api.BaseAddress, authorization);

        var post = await http.GraphQLAsync(Operations.Document("CreateCart"), new { input = new { tenantId = Tenant, cartId, currency = "USD" } });
        using var get = await http.GetAsync(GetUri(new { tenantId = Tenant, cartId }));

        Assert.Equal(HttpStatusCode.Unauthorized, post.Status);
        Assert.Equal(["UNAUTHENTICATED"], post.ErrorCodes);
        Assert.False(post.Body.AsObject().ContainsKey("data"), $"Expected no data, got {post}");
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal("Bearer", Assert.Single(get.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(before, await StoredRows.OfDatabaseAsync(api.ConnectionString));
    }

    private static string GetUri(object variables) => "/graphql" + Transport.HttpExchange.Query(Operations.Document("CartHistory"), variables);
}
