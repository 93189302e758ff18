using System.Collections.Concurrent;

namespace CartGraph.Infrastructure.Caching;

/// <summary>A concurrent dictionary of bounded size that drops its least recently used entries first.</summary>
public sealed class LruDictionary<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Slot> entries = new();
    private long clock;

    public int Count => entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (entries.TryGetValue(key, out var slot))
        {
            slot.LastUsed = Interlocked.Increment(ref clock);
            value = slot.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        entries[key] = new Slot(value) { LastUsed = Interlocked.Increment(ref clock) };
        if (entries.Count > capacity) EvictLeastRecentlyUsed();
    }

    /// <summary>Sets the value from the current one (default when none), atomically for that key.</summary>
    public TValue Update(TKey key, Func<TValue?, TValue> update)
    {
        var slot = entries.AddOrUpdate(key,
            _ => new Slot(update(default)) { LastUsed = Interlocked.Increment(ref clock) },
            (_, current) => new Slot(update(current.Value)) { LastUsed = current.LastUsed });
        if (entries.Count > capacity) EvictLeastRecentlyUsed();
        return slot.Value;
    }

    public void Remove(TKey key) => entries.TryRemove(key, out _);

    public void RemoveWhere(Func<TKey, bool> match)
    {
        foreach (var key in entries.Keys.Where(match).ToList()) entries.TryRemove(key, out _);
    }

    public void Clear() => entries.Clear();

    private void EvictLeastRecentlyUsed()
    {
        // A tenth at a time, so that the sort is paid once per many insertions.
        foreach (var key in entries.OrderBy(e => e.Value.LastUsed).Take(capacity / 10 + 1).Select(e => e.Key).ToList())
            entries.TryRemove(key, out _);
    }

    private sealed record Slot(TValue Value)
    {
        public long LastUsed { get; set; }
    }
}
