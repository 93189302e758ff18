using CartGraph.Infrastructure.Caching;

namespace CartGraph.Api.Transport.Persisted;

/// <summary>
/// Automatic persisted queries this instance has seen, by the SHA-256 of their text, within a budget of bytes, least
/// recently used evicted first. Only a document that passed validation is kept; each instance keeps its own (a client
/// that meets an instance that does not know a hash sends the text once more).
/// </summary>
internal sealed class PersistedQueryStore(long budgetBytes)
{
    private readonly LruDictionary<string, string> queries = new(Math.Max(1, budgetBytes), Cost);

    /// <summary>What one entry costs against the budget: the dictionary's share, the hash and the text.</summary>
    public static long EntryBytes(string sha256, string query) => LruDictionary<string, string>.EntryOverhead + Cost(sha256, query);

    /// <summary>False when the options turn automatic persisted queries off (a budget of 0).</summary>
    public bool Enabled => budgetBytes > 0;

    public int Count => queries.Count;

    public string? Find(string sha256) => Enabled && queries.TryGet(sha256, out var query) ? query : null;

    public void Add(string sha256, string query)
    {
        if (Enabled) queries.Set(sha256, query);
    }

    private static long Cost(string sha256, string query) => Footprint.String(sha256) + Footprint.String(query);
}
