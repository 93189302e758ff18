using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Caching;

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
    private readonly LruDictionary<(string Type, string Tenant, string Stream), (object? State, long Version)> entries = new(capacity);

    public int Count => entries.Count;

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

    public void Set<TState>(string streamType, TenantId tenant, string streamId, TState state, long version) =>
        entries.Set((streamType, tenant.Value, streamId), (state, version));

    public void Remove(string streamType, TenantId tenant, string streamId) => entries.Remove((streamType, tenant.Value, streamId));

    /// <summary>Forgets a stream whatever its type, e.g. once archived.</summary>
    public void Remove(TenantId tenant, string streamId) => entries.RemoveWhere(k => k.Tenant == tenant.Value && k.Stream == streamId);
}
