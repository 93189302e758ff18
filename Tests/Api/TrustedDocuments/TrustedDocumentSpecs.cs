using System.Net;
using CartGraph.Api.Transport.Persisted;
using CartGraph.Api.Security;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Introspection;
using static CartGraph.Tests.Api.TrustedDocuments.TrustedDocumentsApi;

namespace CartGraph.Tests.Api.TrustedDocuments;

/// <summary>
/// Trusted documents over real HTTP (GraphQL over HTTP's persisted documents): the operations of Api/Operations run by
/// <c>documentId</c> over GET and POST; with <c>Security:TrustedDocumentsOnly</c> every other document is refused with
/// TRUSTED_DOCUMENTS_ONLY, introspection included unless <c>Security:AllowIntrospection</c>.
/// </summary>
public sealed class TrustedDocumentSpecs(TrustedDocumentsApi api) : IClassFixture<TrustedDocumentsApi>
{
    private const string Tenant = "trusted-docs";
    private const string Untrusted = "query($tenantId: ID!, $cartId: ID!) { cart(tenantId: $tenantId, cartId: $cartId) { cartId version } }";

    private async Task<string> CartAsync()
    {
        var cartId = $"cart-{Guid.NewGuid():N}";
        await new Shop(api.Api.Http, Tenant).Create(cartId, "EUR");
        return cartId;
    }

    private HttpClient Client(Uri instance) => Bearer.For(instance, Tenant);

    [Fact]
    public async Task A_trusted_query_runs_by_its_documentId_over_GET_and_POST()
    {
        var cartId = await CartAsync();
        using var http = Client(api.Api.BaseAddress);
        var variables = new { tenantId = Tenant, cartId, atLeastVersion = 1 };

        var byPost = await http.PostAsync(new { documentId = IdOf("Cart"), variables });
        var byGet = await http.GetAsync(new Dictionary<string, object> { ["documentId"] = IdOf("Cart"), ["variables"] = variables });

        foreach (var answer in new[] { byPost, byGet })
        {
            Assert.True(answer is { Status: HttpStatusCode.OK, Errors: null }, $"Expected the cart, got {answer}");
            Assert.Equal(cartId, (string?)answer.Data!["cart"]!["cartId"]);
        }
    }

    [Fact]
    public async Task An_unknown_documentId_is_a_request_error_PERSISTED_DOCUMENT_NOT_FOUND()
    {
        using var http = Client(api.Api.BaseAddress);

        var answer = await http.PostAsync(new { documentId = "sha256:" + new string('0', 64) });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Null(answer.Data);
        Assert.Equal(["PERSISTED_DOCUMENT_NOT_FOUND"], answer.ErrorCodes);
    }

    [Fact]
    public async Task A_trusted_mutation_by_its_documentId_over_GET_is_405()
    {
        using var http = Client(api.Api.BaseAddress);

        var answer = await http.GetAsync(new Dictionary<string, object>
        {
            ["documentId"] = IdOf("CreateCart"),
            ["variables"] = new { input = new { tenantId = Tenant, cartId = "never", currency = "EUR" } },
        });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
    }

    [Fact]
    public async Task By_default_any_document_runs()
    {
        var cartId = await CartAsync();
        using var http = Client(api.Api.BaseAddress);

        var answer = await http.GraphQLAsync(Untrusted, new { tenantId = Tenant, cartId });

        Assert.True(answer is { Status: HttpStatusCode.OK, Errors: null }, $"Expected the cart, got {answer}");
    }

    [Fact]
    public async Task With_trusted_documents_only_another_document_is_refused_with_TRUSTED_DOCUMENTS_ONLY_and_nothing_runs()
    {
        using var http = Client(api.Strict);

        var query = await http.GraphQLAsync(Untrusted, new { tenantId = Tenant, cartId = "any" });
        var mutation = await http.GraphQLAsync(
            "mutation($input: CreateCartInput!) { createCart(input: $input) { version } }",
            new { input = new { tenantId = Tenant, cartId = "must-not-exist", currency = "EUR" } });

        foreach (var answer in new[] { query, mutation })
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Null(answer.Data);
            Assert.Equal(["TRUSTED_DOCUMENTS_ONLY"], answer.ErrorCodes);
        }
        Assert.Null(await new Shop(api.Api.Http, Tenant).Cart("must-not-exist"));
    }

    [Fact]
    public async Task With_trusted_documents_only_a_trusted_document_runs_by_id_by_Apollos_hash_and_as_its_exact_text()
    {
        var cartId = await CartAsync();
        using var http = Client(api.Strict);
        var variables = new { tenantId = Tenant, cartId, atLeastVersion = 1 };
        var text = TextOf("Cart");

        var byId = await http.PostAsync(new { documentId = IdOf("Cart"), variables });
        var byHash = await http.PostAsync(new { variables, extensions = new { persistedQuery = new { version = 1, sha256Hash = DocumentIds.Sha256Hex(text) } } });
        var byText = await http.GraphQLAsync(text, variables);

        foreach (var answer in new[] { byId, byHash, byText })
            Assert.True(answer is { Status: HttpStatusCode.OK, Errors: null } && (string?)answer.Data!["cart"]!["cartId"] == cartId, $"Expected the cart, got {answer}");
    }

    [Fact]
    public async Task With_trusted_documents_only_an_automatic_persisted_query_cannot_smuggle_another_document_in()
    {
        using var http = Client(api.Strict);
        var hash = new { persistedQuery = new { version = 1, sha256Hash = DocumentIds.Sha256Hex(Untrusted) } };

        var registering = await http.PostAsync(new { query = Untrusted, variables = new { tenantId = Tenant, cartId = "any" }, extensions = hash });
        var hashOnly = await http.PostAsync(new { variables = new { tenantId = Tenant, cartId = "any" }, extensions = hash });

        Assert.Equal(["TRUSTED_DOCUMENTS_ONLY"], registering.ErrorCodes);
        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], hashOnly.ErrorCodes);
    }

    [Fact]
    public async Task With_trusted_documents_only_introspection_is_refused_unless_allowed()
    {
        using var http = Client(api.Strict);
        using var allowed = Client(api.StrictWithIntrospection);

        var refused = await http.GraphQLAsync(StandardIntrospection.Query);
        var answered = await allowed.GraphQLAsync(StandardIntrospection.Query);
        var typename = await allowed.GraphQLAsync("{ __typename }");
        var mixed = await allowed.GraphQLAsync(StandardIntrospection.With("cart(tenantId: $t, cartId: \"any\") { cartId }"), new { t = Tenant });

        Assert.Equal(["TRUSTED_DOCUMENTS_ONLY"], refused.ErrorCodes);
        Assert.True(answered is { Status: HttpStatusCode.OK, Errors: null }, $"Expected the schema, got {answered}");
        Assert.Equal("Query", (string?)typename.Data?["__typename"]);
        Assert.Equal(["TRUSTED_DOCUMENTS_ONLY"], mixed.ErrorCodes);
    }

    [Fact]
    public async Task Allowed_introspection_is_told_through_the_fragments_spread_at_the_root()
    {
        using var allowed = Client(api.StrictWithIntrospection);

        var introspecting = await allowed.GraphQLAsync("{ ...Root } fragment Root on Query { __schema { queryType { name } } }");
        var reading = await allowed.GraphQLAsync(
            "query($t: ID!) { ...Root } fragment Root on Query { __typename carts(tenantId: $t, first: 1) { nodes { cartId } } }", new { t = Tenant });

        Assert.True(introspecting is { Status: HttpStatusCode.OK, Errors: null }, $"Expected the schema, got {introspecting}");
        Assert.Equal(["TRUSTED_DOCUMENTS_ONLY"], reading.ErrorCodes);
    }

    [Fact]
    public async Task In_Development_the_IDEs_token_runs_any_document_and_in_Production_it_does_not()
    {
        var cartId = await CartAsync();
        var ideToken = $"Bearer {TestTokens.ForSubject(DocumentSecurity.DevelopmentIdeSubject, Tenant)}";
        using var development = Bearer.Client(api.Strict, ideToken);
        using var production = Bearer.Client(api.StrictInProduction, ideToken);

        var inDevelopment = await development.GraphQLAsync(Untrusted, new { tenantId = Tenant, cartId });
        var introspection = await development.GraphQLAsync(StandardIntrospection.Query);
        var inProduction = await production.GraphQLAsync(Untrusted, new { tenantId = Tenant, cartId });

        Assert.True(inDevelopment is { Status: HttpStatusCode.OK, Errors: null }, $"Expected the cart, got {inDevelopment}");
        Assert.True(introspection is { Status: HttpStatusCode.OK, Errors: null }, $"Expected the schema, got {introspection}");
        Assert.True(inProduction.ErrorCodes.SequenceEqual(["TRUSTED_DOCUMENTS_ONLY"]), $"Expected a refusal, got {inProduction}");
    }

    [Fact]
    public async Task With_trusted_documents_only_a_socket_runs_a_trusted_document_by_id_and_refuses_another()
    {
        var cartId = await CartAsync();
        await using var socket = await Bearer.SocketFor(api.Strict, Tenant);

        await socket.SendAsync(new { id = "1", type = "subscribe", payload = new { query = Untrusted, variables = new { tenantId = Tenant, cartId } } });
        var refused = await socket.ReceiveAsync();
        await socket.SendAsync(new { id = "2", type = "subscribe", payload = new { documentId = IdOf("Cart"), variables = new { tenantId = Tenant, cartId, atLeastVersion = 1 } } });
        var answered = await socket.ReceiveUntilAsync("2", "complete");

        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("TRUSTED_DOCUMENTS_ONLY", refused.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(cartId, answered[0].GetProperty("payload").GetProperty("data").GetProperty("cart").GetProperty("cartId").GetString());
    }
}
