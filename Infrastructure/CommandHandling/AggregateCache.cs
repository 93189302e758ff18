using System.Collections.Concurrent;
using CartGraph.Domain.Values;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// The last known state of recently used streams, so that a command usually skips reading its stream.
/// </summary>
/// <remarks>
/// NOTE: never trusted on its own. An append from a cached state expects exactly the cached version, so a stale
/// entry (another instance or service wrote since) only costs a conflict and a fresh read; and a command the
/// decider rejects is decided again on a fresh read before the rejection is returned.
/// </remarks>
public sealed class AggregateCache(int capacity = 10_000)
{
    private readonly ConcurrentDictionary<(string Type, string Tenant, string Stream), Entry> entries = new();
    private long clock;

    public int Count => entries.Count;

    public bool TryGet<TState>(string streamType, TenantId tenant, string streamId, out TState state, out long version)
    {
        if (entries.TryGetValue((streamType, tenant.Value, streamId), out var entry) && entry.State is TState typed)
        {
            entry.LastUsed = Interlocked.Increment(ref clock);
            (state, version) = (typed, entry.Version);
            return true;
        }
        (state, version) = (default!, 0);
        return false;
    }

    public void Set<TState>(string streamType, TenantId tenant, string streamId, TState state, long version)
    {
        entries[(streamType, tenant.Value, streamId)] = new Entry(state, version) { LastUsed = Interlocked.Increment(ref clock) };
        if (entries.Count > capacity) EvictLeastRecentlyUsed();
    }

    public void Remove(string streamType, TenantId tenant, string streamId) => entries.TryRemove((streamType, tenant.Value, streamId), out _);

    /// <summary>Forgets a stream whatever its type, e.g. once archived.</summary>
    public void Remove(TenantId tenant, string streamId)
    {
        foreach (var key in entries.Keys.Where(k => k.Tenant == tenant.Value && k.Stream == streamId).ToList())
            entries.TryRemove(key, out _);
    }

    private void EvictLeastRecentlyUsed()
    {
        // A tenth at a time, so that the sort is paid once per many insertions.
        foreach (var key in entries.OrderBy(e => e.Value.LastUsed).Take(capacity / 10 + 1).Select(e => e.Key).ToList())
            entries.TryRemove(key, out _);
    }

    private sealed record Entry(object? State, long Version)
    {
        public long LastUsed { get; set; }
    }
}
