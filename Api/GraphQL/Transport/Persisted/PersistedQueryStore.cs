using CartGraph.Infrastructure.Caching;

namespace CartGraph.Api.GraphQL.Transport.Persisted;

/// <summary>
/// Automatic persisted queries this instance has seen, by the SHA-256 of their text, least recently used evicted first.
/// Only a document that passed validation is kept; each instance keeps its own (a client that meets an instance that
/// does not know a hash sends the text once more).
/// </summary>
internal sealed class PersistedQueryStore(int capacity)
{
    readonly LruDictionary<string, string> queries = new(Math.Max(1, capacity));

    /// <summary>False when the options turn automatic persisted queries off (capacity 0).</summary>
    public bool Enabled => capacity > 0;

    public int Count => queries.Count;

    public string? Find(string sha256) => Enabled && queries.TryGet(sha256, out var query) ? query : null;

    public void Add(string sha256, string query)
    {
        if (Enabled) queries.Set(sha256, query);
    }
}
