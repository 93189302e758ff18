using CartGraph.Infrastructure.Caching;

namespace CartGraph.Tests.Unit.Caching;

/// <summary>The byte count a bounded cache keeps is exact however its entries race: it neither leaks nor drifts.</summary>
public sealed class LruDictionarySpecs
{
    [Fact]
    public async Task Under_concurrent_sets_updates_and_removes_the_byte_count_is_what_the_remaining_entries_cost()
    {
        const long Cost = 100;
        var cache = new LruDictionary<int, int>(budget: 300 * (LruDictionary<int, int>.EntryOverhead + Cost), (_, _) => Cost);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 50_000; i++)
            {
                var key = random.Next(500);
                switch (random.Next(4))
                {
                    case 0: cache.Set(key, i); break;
                    case 1: cache.Update(key, current => current + 1); break;
                    case 2: cache.Remove(key); break;
                    default: cache.TryGet(key, out _); break;
                }
            }
        })));

        Assert.Equal(cache.Count * (LruDictionary<int, int>.EntryOverhead + Cost), cache.Bytes);
        Assert.InRange(cache.Bytes, 1, cache.Budget);
    }

    [Fact]
    public void Clearing_gives_every_byte_back()
    {
        var cache = new LruDictionary<string, string>(budget: 1 << 20, (key, value) => Footprint.String(key) + Footprint.String(value));
        for (var i = 0; i < 100; i++) cache.Set($"key-{i}", new string('x', i));
        Assert.True(cache.Bytes > 100 * LruDictionary<string, string>.EntryOverhead);

        cache.Clear();

        Assert.Equal((0, 0L), (cache.Count, cache.Bytes));
    }
}
