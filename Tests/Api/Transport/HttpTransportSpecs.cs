using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using static CartGraph.Tests.Api.Transport.HttpExchange;

namespace CartGraph.Tests.Api.Transport;

/// <summary>GraphQL over HTTP against real Kestrel: methods, media types, status codes, limits, errors that leak nothing.</summary>
public sealed class HttpTransportSpecs(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>
{
    readonly TransportServer server = fixture.Server;

    [Fact]
    public async Task A_POST_query_is_answered_200_in_graphql_response_json_by_default()
    {
        var answer = await PostAsync(server, new { query = "{ hello }" });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(GraphQLResponse, answer.MediaType);
        Assert.Equal("utf-8", answer.Charset);
        Assert.Equal("Hello, world!", answer.Data.GetProperty("hello").GetString());
        Assert.False(answer.Body.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task A_POST_query_takes_variables_and_an_operation_name()
    {
        var answer = await PostAsync(server, new
        {
            query = "query First { hello } query Second($name: String) { hello(name: $name) }",
            operationName = "Second",
            variables = new { name = "Ada" },
        });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("Hello, Ada!", answer.Data.GetProperty("hello").GetString());
    }

    [Fact]
    public async Task A_POST_mutation_runs()
    {
        var answer = await PostAsync(server, new { query = "mutation($text: String!) { echo(text: $text) }", variables = new { text = "hi" } });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("hi", answer.Data.GetProperty("echo").GetString());
    }

    [Theory]
    [InlineData("application/graphql-response+json", GraphQLResponse)]
    [InlineData("application/json", Json)]
    [InlineData("application/json; charset=utf-8", Json)]
    [InlineData("*/*", GraphQLResponse)]
    [InlineData("application/*", GraphQLResponse)]
    [InlineData("application/json, */*", Json)]
    [InlineData("*/*, application/json", Json)]
    [InlineData("application/json, */*;q=0.8", Json)]
    [InlineData("application/graphql-response+json, application/json", GraphQLResponse)]
    [InlineData("application/json, application/graphql-response+json", Json)]
    [InlineData("application/graphql-response+json;q=0.5, application/json", Json)]
    [InlineData("application/graphql-response+json, application/json;q=0.9", GraphQLResponse)]
    [InlineData("*/*, application/graphql-response+json;q=0", Json)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", GraphQLResponse)]
    public async Task The_response_media_type_follows_the_Accept_header(string accept, string expected)
    {
        var answer = await PostAsync(server, new { query = "{ hello }" }, accept);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(expected, answer.MediaType);
        Assert.Equal("Hello, world!", answer.Data.GetProperty("hello").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("*/*;q=0")]
    [InlineData("application/graphql-response+json;q=0, application/json;q=0")]
    public async Task An_Accept_header_allowing_neither_GraphQL_media_type_is_406(string accept)
    {
        var answer = await PostAsync(server, new { query = "{ hello }" }, accept);

        Assert.Equal(HttpStatusCode.NotAcceptable, answer.Status);
        Assert.Equal("NOT_ACCEPTABLE", answer.FirstErrorCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/graphql")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData(null)]
    public async Task A_POST_body_that_is_not_JSON_in_UTF8_is_415(string? contentType)
    {
        var answer = await PostAsync(server, """{"query":"{ hello }"}""", contentType: contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", answer.FirstErrorCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_from_its_Content_Length()
    {
        var answer = await PostAsync(server, new { query = "{ hello }", extensions = new { padding = new string('x', 2 * HttpServerFixture.BodyLimit) } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", answer.FirstErrorCode);
        Assert.False(answer.HasData);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_once_the_limit_is_passed()
    {
        var padding = new string('x', 2 * HttpServerFixture.BodyLimit);
        var body = Encoding.UTF8.GetBytes($$$"""{"query":"{ hello }","extensions":{"padding":"{{{padding}}}"}}""");
        var content = new ChunkedContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", Json);

        var answer = await SendAsync(server, HttpMethod.Post, server.HttpEndpoint, null, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", answer.FirstErrorCode);
    }

    [Fact]
    public async Task A_body_just_within_the_limit_is_read()
    {
        var query = "{ hello }";
        var padding = HttpServerFixture.BodyLimit - """{"query":"{ hello }","extensions":{"p":""}}""".Length;
        var body = $$$"""{"query":"{{{query}}}","extensions":{"p":"{{{new string('x', padding)}}}"}}""";
        Assert.Equal(HttpServerFixture.BodyLimit, Encoding.UTF8.GetByteCount(body));

        var answer = await PostAsync(server, body);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData("""{"query":""", "not valid JSON")]
    [InlineData("NONSENSE", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("\"{ hello }\"", "JSON object")]
    [InlineData("""{"qeury":"{ hello }"}""", "no \"query\"")]
    [InlineData("""{"query":null}""", "no \"query\"")]
    [InlineData("""{"query":5}""", "\"query\" must be a string")]
    [InlineData("""{"query":{"a":1}}""", "\"query\" must be a string")]
    [InlineData("""{"query":"{ hello }","variables":[7]}""", "\"variables\" must be a JSON object")]
    [InlineData("""{"query":"{ hello }","variables":"{}"}""", "\"variables\" must be a JSON object")]
    [InlineData("""{"query":"{ hello }","operationName":5}""", "\"operationName\" must be a string")]
    [InlineData("""{"query":"{ hello }","extensions":"x"}""", "\"extensions\" must be a JSON object")]
    public async Task A_request_that_is_not_well_formed_is_400_with_either_media_type(string body, string reason)
    {
        foreach (var accept in new[] { GraphQLResponse, Json })
        {
            var answer = await PostAsync(server, body, accept);

            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal(accept, answer.MediaType);
            Assert.False(answer.HasData);
            Assert.Equal("BAD_REQUEST", answer.FirstErrorCode);
            Assert.Contains(reason, answer.FirstError.GetProperty("message").GetString());
        }
    }

    [Theory]
    [InlineData("""{"query":"{ hello "}""", "SYNTAX_ERROR")]
    [InlineData("""{"query":"{ nope }"}""", "FIELDS_ON_CORRECT_TYPE")]
    [InlineData("""{"query":"query($name: String) { hello(name: $name) }","variables":{"name":{"a":1}}}""", "INVALID_VALUE")]
    [InlineData("""{"query":"mutation($text: String!) { echo(text: $text) }","variables":{}}""", "INVALID_VALUE")]
    [InlineData("""{"query":"query A { hello } query B { hello }"}""", "NO_OPERATION_NAME")]
    [InlineData("""{"query":"{ hello }","operationName":"Missing"}""", "INVALID_OPERATION_NAME")]
    public async Task A_document_error_is_400_in_graphql_response_json_and_200_in_json(string body, string code)
    {
        var strict = await PostAsync(server, body, GraphQLResponse);
        var legacy = await PostAsync(server, body, Json);

        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        foreach (var answer in new[] { strict, legacy })
        {
            Assert.False(answer.HasData);
            Assert.Equal(code, answer.FirstErrorCode);
        }
    }

    [Fact]
    public async Task A_document_nested_past_the_parser_limit_is_a_400_not_a_500()
    {
        var query = string.Concat(Enumerable.Repeat("{a", 300)) + string.Concat(Enumerable.Repeat("}", 300));

        var answer = await PostAsync(server, new { query });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("DOCUMENT_TOO_DEEP", answer.FirstErrorCode);
    }

    [Fact]
    public async Task An_unexpected_exception_gives_a_generic_message_with_a_correlation_id_and_nothing_else()
    {
        var answer = await PostAsync(server, new { query = "{ hello boom }" });

        Assert.Equal(HttpStatusCode.OK, answer.Status); // a field error: execution ran, the rest of the data is there
        Assert.Equal("Hello, world!", answer.Data.GetProperty("hello").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.Data.GetProperty("boom").ValueKind);
        var error = answer.FirstError;
        var extensions = error.GetProperty("extensions");
        Assert.Equal("INTERNAL_ERROR", extensions.GetProperty("code").GetString());
        var correlationId = extensions.GetProperty("correlationId").GetString();
        Assert.False(string.IsNullOrEmpty(correlationId));
        Assert.Contains(correlationId, error.GetProperty("message").GetString());
        Assert.Equal("boom", error.GetProperty("path")[0].GetString());
        Assert.DoesNotContain("hunter2", answer.Text);
        Assert.DoesNotContain("Npgsql", answer.Text);
        Assert.DoesNotContain("Exception", answer.Text);
        Assert.DoesNotContain("INVALID_OPERATION", answer.Text); // the code GraphQL.NET derives from the exception type
        Assert.DoesNotContain(" at ", answer.Text);

        var logged = server.Logs.Entries.Where(e => e.Level == LogLevel.Error && e.Message.Contains(correlationId!)).ToList();
        Assert.Single(logged);
        Assert.Equal(TestSchema.Secret, logged[0].Exception?.Message);
    }

    [Fact]
    public async Task The_correlation_id_is_the_requests_trace_identifier()
    {
        var answer = await PostAsync(server, new { query = "{ correlationId }" });

        Assert.Matches("^[0-9A-Z]+:[0-9A-F]+$", answer.Data.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task A_GET_runs_a_query_from_the_query_string()
    {
        var answer = await GetAsync(server, Query("query Q($name: String) { hello(name: $name) }", new { name = "Grace" }, "Q"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(GraphQLResponse, answer.MediaType);
        Assert.Equal("Hello, Grace!", answer.Data.GetProperty("hello").GetString());
        Assert.Contains("Accept", answer.Response.Headers.Vary);
    }

    [Fact]
    public async Task A_GET_with_an_empty_operation_name_runs_the_only_operation()
    {
        var answer = await GetAsync(server, Query("{ hello }") + "&operationName=");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData("mutation { echo(text: \"x\") }", null)]
    [InlineData("query Q { hello } mutation M { echo(text: \"x\") }", "M")]
    [InlineData("subscription { ticks(count: 1) }", null)]
    public async Task A_mutation_or_subscription_over_GET_is_405_allowing_POST(string query, string? operationName)
    {
        var answer = await GetAsync(server, Query(query, operationName: operationName));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.Equal(["POST"], answer.Response.Content.Headers.Allow);
        Assert.Equal("METHOD_NOT_ALLOWED", answer.FirstErrorCode);
        Assert.False(answer.HasData);
    }

    [Fact]
    public async Task A_query_named_beside_a_mutation_runs_over_GET()
    {
        var answer = await GetAsync(server, Query("query Q { hello } mutation M { echo(text: \"x\") }", operationName: "Q"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData("", "no \"query\"")]
    [InlineData("?query=%7Bhello%7D&variables=%5B7%5D", "\"variables\" must be a JSON object")]
    [InlineData("?query=%7Bhello%7D&variables=%7Bnot-json", "\"variables\" must be a JSON-encoded object")]
    [InlineData("?query=%7Bhello%7D&query=%7Bhello%7D", "\"query\" must be given at most once")]
    [InlineData("?query=%7Bhello%7D&extensions=1", "\"extensions\" must be a JSON object")]
    public async Task A_GET_that_is_not_well_formed_is_400(string queryString, string reason)
    {
        var answer = await GetAsync(server, queryString);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(reason, answer.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_subscription_over_POST_is_a_request_error_pointing_to_the_WebSocket()
    {
        var strict = await PostAsync(server, new { query = "subscription { ticks(count: 1) }" }, GraphQLResponse);
        var legacy = await PostAsync(server, new { query = "subscription { ticks(count: 1) }" }, Json);

        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        foreach (var answer in new[] { strict, legacy })
        {
            Assert.False(answer.HasData);
            Assert.Equal("SUBSCRIPTION_REQUIRES_WEBSOCKET", answer.FirstErrorCode);
        }
        Assert.Equal(0, server.Ticks.Subscribed);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_are_405_allowing_GET_and_POST(string method)
    {
        var answer = await SendAsync(server, new HttpMethod(method), server.HttpEndpoint, null, new StringContent("{}", Encoding.UTF8, Json));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.Equal(["GET", "POST"], answer.Response.Content.Headers.Allow);
    }

    [Fact]
    public async Task The_same_query_text_is_parsed_and_validated_once()
    {
        var query = $"query CacheProbe{Guid.NewGuid():N} {{ hello }}";
        var (hits, misses) = (server.Cache.Hits, server.Cache.Misses);

        var first = await PostAsync(server, new { query });
        var afterFirst = (server.Cache.Hits, server.Cache.Misses);
        var second = await GetAsync(server, Query(query));
        var afterSecond = (server.Cache.Hits, server.Cache.Misses);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.True(afterFirst.Misses > misses, "the first request misses");
        Assert.True(afterSecond.Hits > afterFirst.Hits, "the second request hits");
    }

    [Fact]
    public async Task A_cached_document_still_checks_each_requests_variables()
    {
        var query = $"query CachedVariables{Guid.NewGuid():N}($text: String!) {{ echo: hello(name: $text) }}";
        await PostAsync(server, new { query, variables = new { text = "ok" } });
        var hits = server.Cache.Hits;

        var answer = await PostAsync(server, new { query, variables = new { text = (string?)null } });

        Assert.True(server.Cache.Hits > hits);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("INVALID_VALUE", answer.FirstErrorCode);
    }

    [Fact]
    public async Task An_invalid_document_is_not_cached()
    {
        var query = $"query Invalid{Guid.NewGuid():N} {{ nope }}";
        await PostAsync(server, new { query });
        var hits = server.Cache.Hits;

        var answer = await PostAsync(server, new { query });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(hits, server.Cache.Hits);
    }
}
