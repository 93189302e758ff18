using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CartGraph.Infrastructure.Caching;

/// <summary>
/// A concurrent dictionary bounded in bytes: each entry is given what it costs, and once the total passes the budget
/// the least recently used entries go first, down to nine tenths of it, so that the sort is paid once per many insertions.
/// </summary>
/// <param name="cost">
/// What an entry's key and value keep alive beyond the dictionary's own share (see <see cref="Footprint"/>), which
/// <see cref="EntryOverhead"/> adds.
/// </param>
public sealed class LruDictionary<TKey, TValue>(long budget, Func<TKey, TValue, long> cost) where TKey : notnull
{
    /// <summary>The dictionary's own bytes per entry: its node (key and slot inline), the slot and a bucket.</summary>
    public static readonly long EntryOverhead =
        Footprint.Object(Unsafe.SizeOf<TKey>() + 8 + 8 + 4) + Footprint.Object(Unsafe.SizeOf<TValue>() + 8 + 8) + 8;

    private readonly ConcurrentDictionary<TKey, Slot> entries = new();
    private long clock;
    private long bytes;
    private int evicting;

    public long Budget => budget;

    public int Count => entries.Count;

    /// <summary>What the entries cost now, by their own account.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

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

    public void Set(TKey key, TValue value) => Put(key, _ => NewSlot(key, value, Interlocked.Increment(ref clock)));

    /// <summary>Sets the value from the current one (default when none), atomically for that key; a hit does not count as a use.</summary>
    public TValue Update(TKey key, Func<TValue?, TValue> update) =>
        Put(key, current => current is null
            ? NewSlot(key, update(default), Interlocked.Increment(ref clock))
            : NewSlot(key, update(current.Value), current.LastUsed)).Value;

    public void Remove(TKey key)
    {
        if (entries.TryRemove(key, out var slot)) Interlocked.Add(ref bytes, -slot.Cost);
    }

    public void RemoveWhere(Func<TKey, bool> match)
    {
        foreach (var key in entries.Keys.Where(match).ToList()) Remove(key);
    }

    public void Clear()
    {
        foreach (var key in entries.Keys.ToList()) Remove(key);
    }

    private Slot NewSlot(TKey key, TValue value, long lastUsed) =>
        new(value, EntryOverhead + cost(key, value)) { LastUsed = lastUsed };

    private Slot Put(TKey key, Func<Slot?, Slot> next)
    {
        while (true)
        {
            if (entries.TryGetValue(key, out var current))
            {
                var replacement = next(current);
                if (entries.TryUpdate(key, replacement, current))
                {
                    Account(replacement.Cost - current.Cost);
                    return replacement;
                }
            }
            else
            {
                var added = next(null);
                if (entries.TryAdd(key, added))
                {
                    Account(added.Cost);
                    return added;
                }
            }
        }
    }

    private void Account(long delta)
    {
        if (Interlocked.Add(ref bytes, delta) > budget) EvictLeastRecentlyUsed();
    }

    private void EvictLeastRecentlyUsed()
    {
        // One evicting thread is enough: the others carry on, the total goes back under budget for all of them.
        if (Interlocked.Exchange(ref evicting, 1) == 1) return;
        try
        {
            var target = budget - budget / 10;
            foreach (var entry in entries.ToArray().OrderBy(e => e.Value.LastUsed))
            {
                if (Bytes <= target) break;
                // Only that very slot: an entry set again meanwhile is recent, and stays.
                if (entries.TryRemove(entry)) Interlocked.Add(ref bytes, -entry.Value.Cost);
            }
        }
        finally
        {
            Volatile.Write(ref evicting, 0);
        }
    }

    /// <summary>A value with its cost and when it was last used; compared by reference, so an update replaces exactly it.</summary>
    private sealed class Slot(TValue value, long cost)
    {
        public TValue Value { get; } = value;
        public long Cost { get; } = cost;
        public long LastUsed { get; set; }
    }
}
