using System.Text;
using CartGraph.Domain.Values;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Tenants hash into a fixed number of buckets, and an instance owns a bucket, with every projection of every tenant in
/// it, by holding one advisory lock (<see cref="BucketLocks"/>): ownership costs the same however many tenants there are.
/// </summary>
/// <remarks>NOTE: the count and the hash are part of the protocol between instances: every version must keep both.</remarks>
public static class ProcessorBuckets
{
    public const int Count = 64;

    /// <summary>The tenant's bucket: FNV-1a (32 bits) of its id's UTF-8 bytes, modulo <see cref="Count"/>.</summary>
    public static int Of(TenantId tenant)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(tenant.Value)) hash = (hash ^ b) * 16777619u;
        return (int)(hash % Count);
    }
}

/// <summary>
/// What one ownership round does: which buckets to hand back and which free ones to try to take, so that the busy buckets
/// (holding a tenant) spread over the live instances within one of each other, and so do the empty ones (a new tenant
/// always has an owner). Two shares, not one: with six tenants and three instances, a share of buckets alone could leave
/// an instance nothing to do. An instance takes up to the larger share, hands back what exceeds it, and hands one back
/// while another instance holds less than the smaller share, so that one gets it.
/// </summary>
internal sealed record OwnershipPlan(IReadOnlyList<int> Release, IReadOnlyList<int> Acquire)
{
    /// <param name="otherInstances">What each other live instance owns (empty for one that owns nothing).</param>
    /// <param name="heldElsewhere">Every bucket another session holds (an instance, or a rebuild replaying a tenant).</param>
    public static OwnershipPlan Of(
        IReadOnlySet<int> owned, IReadOnlyList<IReadOnlySet<int>> otherInstances, IReadOnlySet<int> heldElsewhere,
        IReadOnlySet<int> busy, Random random)
    {
        var live = otherInstances.Count + 1;
        var release = new List<int>();
        var acquire = new List<int>();
        foreach (var isBusy in (bool[])[true, false])
        {
            var all = Enumerable.Range(0, ProcessorBuckets.Count).Where(b => busy.Contains(b) == isBusy).ToList();
            var (least, most) = (all.Count / live, (all.Count + live - 1) / live);
            var mine = all.Where(owned.Contains).OrderBy(_ => random.Next()).ToList();
            if (mine.Count > most) release.AddRange(mine.Take(mine.Count - most));
            else if (mine.Count > least && otherInstances.Any(other => all.Count(other.Contains) < least)) release.Add(mine[0]);
            else
                // Each instance tries in its own order, so that instances starting together do not contend for the same buckets.
                acquire.AddRange(all.Where(b => !owned.Contains(b) && !heldElsewhere.Contains(b))
                    .OrderBy(_ => random.Next()).Take(most - mine.Count));
        }
        return new OwnershipPlan(release, acquire);
    }
}
