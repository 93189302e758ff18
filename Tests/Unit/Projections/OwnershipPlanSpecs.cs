using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Projections;

namespace CartGraph.Tests.Unit.Projections;

/// <summary>Ownership rounds of several instances, played without a database: buckets of tenants settle fairly.</summary>
public sealed class OwnershipPlanSpecs
{
    /// <summary>Rounds in turn until nothing changes; each instance only sees the others' locks, as through pg_locks.</summary>
    private static List<HashSet<int>> Settle(int instances, IReadOnlySet<int> busy, int seed, List<HashSet<int>>? start = null)
    {
        var owned = start ?? Enumerable.Range(0, instances).Select(_ => new HashSet<int>()).ToList();
        var random = new Random(seed);
        for (var round = 0; round < 50; round++)
        {
            var changed = false;
            for (var i = 0; i < owned.Count; i++)
            {
                var others = owned.Where((_, j) => j != i).Select(o => (IReadOnlySet<int>)o.ToHashSet()).ToList();
                var elsewhere = others.SelectMany(o => o).ToHashSet();
                var plan = OwnershipPlan.Of(owned[i], others, elsewhere, busy, random);
                owned[i].ExceptWith(plan.Release);
                owned[i].UnionWith(plan.Acquire.Where(b => !elsewhere.Contains(b)));
                changed |= plan.Release.Count > 0 || plan.Acquire.Count > 0;
            }
            if (!changed) return owned;
        }
        throw new Xunit.Sdk.XunitException("ownership never settled");
    }

    [Theory]
    [InlineData(1, 6, 1)]
    [InlineData(2, 4, 2)]
    [InlineData(3, 6, 3)]
    [InlineData(3, 10_000, 4)]
    [InlineData(5, 17, 5)]
    public void Every_bucket_has_one_owner_and_busy_buckets_spread_within_one_of_each_other(int instances, int tenants, int seed)
    {
        var busy = Enumerable.Range(0, tenants).Select(t => ProcessorBuckets.Of(TenantId.Parse($"tenant-{t}"))).ToHashSet();

        var owned = Settle(instances, busy, seed);

        Assert.Equal(ProcessorBuckets.Count, owned.Sum(o => o.Count));
        Assert.Equal(ProcessorBuckets.Count, owned.SelectMany(o => o).Distinct().Count());
        var busyShares = owned.Select(o => o.Count(busy.Contains)).ToList();
        Assert.True(busyShares.Max() - busyShares.Min() <= 1, string.Join(", ", busyShares));
        Assert.All(busyShares, share => Assert.True(share > 0 || busy.Count < instances));
    }

    [Fact]
    public void When_an_instance_leaves_the_others_take_its_buckets_and_one_that_joins_gets_its_share()
    {
        var busy = Enumerable.Range(0, 12).Select(t => ProcessorBuckets.Of(TenantId.Parse($"tenant-{t}"))).ToHashSet();
        var three = Settle(3, busy, seed: 7);

        var two = Settle(2, busy, seed: 8, start: three.Take(2).ToList());
        Assert.Equal(ProcessorBuckets.Count, two.SelectMany(o => o).Distinct().Count());

        var again = Settle(3, busy, seed: 9, start: [.. two, []]);
        Assert.True(again[2].Count(busy.Contains) >= busy.Count / 3, $"the newcomer owns {again[2].Count(busy.Contains)} busy bucket(s)");
    }

    [Theory]
    [InlineData("acme", 47)]
    [InlineData("globex", 14)]
    [InlineData("initech", 33)]
    public void A_tenant_hashes_to_the_bucket_every_version_agrees_on(string tenant, int bucket) =>
        // FNV-1a of the id, modulo 64: part of the protocol between instances, so these values must never change.
        Assert.Equal(bucket, ProcessorBuckets.Of(TenantId.Parse(tenant)));
}
