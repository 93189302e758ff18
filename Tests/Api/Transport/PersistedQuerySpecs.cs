using System.Net;
using CartGraph.Api.Transport.Persisted;
using static CartGraph.Tests.Api.Transport.HttpExchange;

namespace CartGraph.Tests.Api.Transport;

/// <summary>
/// Automatic persisted queries as Apollo Client's PersistedQueryLink speaks them, over real HTTP and WebSocket: a hash
/// alone is answered PERSISTED_QUERY_NOT_FOUND (message PersistedQueryNotFound) until the text has been sent once with
/// it; then the hash alone runs the query, over POST and GET.
/// </summary>
public sealed class PersistedQuerySpecs(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>
{
    readonly TransportServer server = fixture.Server;

    /// <summary>A query no other test sends, so that its hash is unknown until this test sends it.</summary>
    static string UniqueQuery() => $"query Q{Guid.NewGuid():N} {{ hello(name: \"persisted\") }}";

    static object Hash(string query) => new { persistedQuery = new { version = 1, sha256Hash = DocumentIds.Sha256Hex(query) } };

    static string HashParameter(string query) => "?extensions=" + Uri.EscapeDataString(System.Text.Json.JsonSerializer.Serialize(Hash(query)));

    [Fact]
    public async Task An_unknown_hash_is_PERSISTED_QUERY_NOT_FOUND_until_the_text_is_sent_with_it_then_the_hash_alone_runs_over_POST_and_GET()
    {
        var query = UniqueQuery();

        var unknown = await PostAsync(server, new { extensions = Hash(query) });
        var registered = await PostAsync(server, new { query, extensions = Hash(query) });
        var byPost = await PostAsync(server, new { extensions = Hash(query) });
        var byGet = await GetAsync(server, HashParameter(query));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.False(unknown.HasData);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", unknown.FirstErrorCode);
        Assert.Equal("PersistedQueryNotFound", unknown.FirstError.GetProperty("message").GetString());
        foreach (var answer in new[] { registered, byPost, byGet })
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal("Hello, persisted!", answer.Data.GetProperty("hello").GetString());
        }
    }

    [Fact]
    public async Task With_application_json_a_persisted_query_not_found_is_200_as_that_media_type_answers_request_errors()
    {
        var answer = await PostAsync(server, new { extensions = Hash(UniqueQuery()) }, Json);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", answer.FirstErrorCode);
    }

    [Fact]
    public async Task A_hash_that_is_not_the_texts_is_a_bad_request_and_stores_nothing()
    {
        var query = UniqueQuery();
        var other = UniqueQuery();

        var mismatch = await PostAsync(server, new { query, extensions = Hash(other) });
        var afterwards = await PostAsync(server, new { extensions = Hash(other) });

        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal("BAD_REQUEST", mismatch.FirstErrorCode);
        Assert.Contains("sha256Hash", mismatch.FirstError.GetProperty("message").GetString());
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", afterwards.FirstErrorCode);
    }

    [Fact]
    public async Task A_document_that_fails_validation_is_not_stored_under_its_hash()
    {
        var invalid = $"query Q{Guid.NewGuid():N} {{ nope }}";

        var sent = await PostAsync(server, new { query = invalid, extensions = Hash(invalid) });
        var afterwards = await PostAsync(server, new { extensions = Hash(invalid) });

        Assert.Equal(HttpStatusCode.BadRequest, sent.Status);
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", sent.FirstErrorCode);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", afterwards.FirstErrorCode);
    }

    [Theory]
    [InlineData("""{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"0000000000000000000000000000000000000000000000000000000000000000"}}}""", "version")]
    [InlineData("""{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}""", "64 hexadecimal")]
    [InlineData("""{"extensions":{"persistedQuery":{"version":1}}}""", "64 hexadecimal")]
    [InlineData("""{"extensions":{"persistedQuery":"abc"}}""", "must be an object")]
    [InlineData("""{"documentId":"sha256:abc","query":"{ hello }"}""", "once")]
    [InlineData("""{"documentId":"a b"}""", "document identifier")]
    public async Task A_malformed_persisted_query_or_document_id_is_400_whatever_the_media_type(string body, string reason)
    {
        var answer = await PostAsync(server, body, Json);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("BAD_REQUEST", answer.FirstErrorCode);
        Assert.Contains(reason, answer.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_persisted_mutation_named_by_its_hash_over_GET_is_405()
    {
        var mutation = $"mutation M{Guid.NewGuid():N} {{ echo(text: \"once\") }}";
        await PostAsync(server, new { query = mutation, extensions = Hash(mutation) });

        var answer = await GetAsync(server, HashParameter(mutation));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.Equal("POST", answer.Response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task Over_a_WebSocket_a_hash_alone_runs_once_the_text_was_sent_with_it()
    {
        var query = UniqueQuery();
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SendAsync(new { id = "1", type = "subscribe", payload = new { extensions = Hash(query) } });
        var unknown = await socket.ReceiveAsync();
        await socket.SendAsync(new { id = "2", type = "subscribe", payload = new { query, extensions = Hash(query) } });
        var registered = await socket.ReceiveUntilAsync("2", "complete");
        await socket.SendAsync(new { id = "3", type = "subscribe", payload = new { extensions = Hash(query) } });
        var byHash = await socket.ReceiveUntilAsync("3", "complete");

        Assert.Equal("error", unknown.GetProperty("type").GetString());
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", unknown.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("Hello, persisted!", registered[0].GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal("Hello, persisted!", byHash[0].GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
    }
}
