using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Caching;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// The last known state of recently used streams, so that a command usually skips reading its stream. Bounded in
/// bytes: each entry costs what its state keeps alive (the aggregate's <c>Footprint</c>), its ids and the dictionary's
/// share; past the budget the least recently used go.
/// </summary>
/// <remarks>
/// NOTE: never trusted on its own. An append from a cached state expects exactly the cached version, so a stale
/// entry (another instance or service wrote since) only costs a conflict and a fresh read; and a batch of commands
/// that appends nothing (rejections, decisions to record nothing) is decided again on a fresh read before it is answered.
/// </remarks>
public sealed class AggregateCache(long? budget = null)
{
    private readonly LruDictionary<(string Type, string Tenant, string Stream), Entry> entries =
        new(budget ?? CacheBudget.Default, (key, entry) => Footprint.String(key.Tenant) + Footprint.String(key.Stream) + entry.StateBytes);

    public long Budget => entries.Budget;

    public int Count => entries.Count;

    /// <summary>What the entries cost now, by the estimates they were stored with.</summary>
    public long Bytes => entries.Bytes;

    public bool TryGet<TState>(string streamType, TenantId tenant, string streamId, out TState state, out long version)
    {
        if (entries.TryGet((streamType, tenant.Value, streamId), out var entry) && entry.State is TState typed)
        {
            (state, version) = (typed, entry.Version);
            return true;
        }
        (state, version) = (default!, 0);
        return false;
    }

    /// <param name="stateBytes">What <paramref name="state"/> keeps alive, in bytes (the stream type is a shared literal).</param>
    public void Set<TState>(string streamType, TenantId tenant, string streamId, TState state, long version, long stateBytes) =>
        entries.Set((streamType, tenant.Value, streamId), new Entry(state, version, stateBytes));

    public void Remove(string streamType, TenantId tenant, string streamId) => entries.Remove((streamType, tenant.Value, streamId));

    /// <summary>Forgets a stream whatever its type, e.g. once archived.</summary>
    public void Remove(TenantId tenant, string streamId) => entries.RemoveWhere(k => k.Tenant == tenant.Value && k.Stream == streamId);

    private readonly record struct Entry(object? State, long Version, long StateBytes);
}
