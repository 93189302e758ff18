using GraphQLParser.AST;

namespace CartGraph.Api.Transport.Execution;

/// <summary>Parsed documents that passed the spec's validation, by schema type and query text, least recently used
/// evicted first. A hit skips parsing and the document-only validation rules.</summary>
/// <remarks>NOTE: GraphQL.NET's own MemoryDocumentCache lives in GraphQL.MemoryCache, which is not served here.
/// Keyed by schema type, not instance, so a schema registered as scoped still shares entries.</remarks>
internal sealed class DocumentCache(int capacity)
{
    private readonly record struct Key(Type Schema, string Query);

    private readonly Dictionary<Key, LinkedListNode<(Key Key, GraphQLDocument Document)>> entries = [];
    private readonly LinkedList<(Key Key, GraphQLDocument Document)> recency = new();
    private readonly Lock gate = new();
    long hits, misses;

    public long Hits => Interlocked.Read(ref hits);

    public long Misses => Interlocked.Read(ref misses);

    public int Count
    {
        get { lock (gate) return entries.Count; }
    }

    public GraphQLDocument? Find(Type schema, string query)
    {
        if (capacity <= 0) return null;
        lock (gate)
        {
            if (entries.TryGetValue(new Key(schema, query), out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                hits++;
                return node.Value.Document;
            }
            misses++;
            return null;
        }
    }

    public void Add(Type schema, string query, GraphQLDocument document)
    {
        if (capacity <= 0) return;
        var key = new Key(schema, query);
        lock (gate)
        {
            if (entries.ContainsKey(key)) return;
            if (entries.Count >= capacity && recency.Last is { } oldest)
            {
                recency.RemoveLast();
                entries.Remove(oldest.Value.Key);
            }
            entries[key] = recency.AddFirst((key, document));
        }
    }
}
