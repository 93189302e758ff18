using System.Net;
using CartGraph.Api.Transport.Persisted;
using static CartGraph.Tests.Api.Transport.HttpExchange;

namespace CartGraph.Tests.Api.Transport;

/// <summary>The automatic persisted queries of one instance are bounded: the least recently used goes first.</summary>
public sealed class PersistedQueryStoreSpecs
{
    static object Hash(string query) => new { persistedQuery = new { version = 1, sha256Hash = DocumentIds.Sha256Hex(query) } };

    [Fact]
    public async Task Past_its_budget_the_store_forgets_the_least_recently_used_query()
    {
        string a = "query A { hello(name: \"a\") }", b = "query B { hello(name: \"b\") }", c = "query C { hello(name: \"c\") }";
        var entry = PersistedQueryStore.EntryBytes(DocumentIds.Sha256Hex(a), a);
        // Room for two and a half entries: the third one in evicts exactly one.
        await using var server = await TransportServer.StartAsync(options => options with { PersistedQueryBytes = 2 * entry + entry / 2 });
        await PostAsync(server, new { query = a, extensions = Hash(a) });
        await PostAsync(server, new { query = b, extensions = Hash(b) });
        var usedA = await PostAsync(server, new { extensions = Hash(a) });

        await PostAsync(server, new { query = c, extensions = Hash(c) });

        Assert.Equal(HttpStatusCode.OK, usedA.Status);
        Assert.Equal("Hello, a!", (await PostAsync(server, new { extensions = Hash(a) })).Data.GetProperty("hello").GetString());
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", (await PostAsync(server, new { extensions = Hash(b) })).FirstErrorCode);
        Assert.Equal("Hello, c!", (await PostAsync(server, new { extensions = Hash(c) })).Data.GetProperty("hello").GetString());
    }

    [Fact]
    public async Task With_no_room_a_hash_alone_is_PERSISTED_QUERY_NOT_SUPPORTED_and_the_text_still_runs()
    {
        await using var server = await TransportServer.StartAsync(options => options with { PersistedQueryBytes = 0 });
        const string query = "{ hello }";

        var hashOnly = await PostAsync(server, new { extensions = Hash(query) });
        var withText = await PostAsync(server, new { query, extensions = Hash(query) });

        Assert.Equal("PERSISTED_QUERY_NOT_SUPPORTED", hashOnly.FirstErrorCode);
        Assert.Equal("PersistedQueryNotSupported", hashOnly.FirstError.GetProperty("message").GetString());
        Assert.Equal("Hello, world!", withText.Data.GetProperty("hello").GetString());
    }
}
