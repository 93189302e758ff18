using System.Threading.RateLimiting;
using CartGraph.Domain.Values;

namespace CartGraph.Api.Security;

/// <summary>
/// A token bucket per tenant for mutations, from the platform's rate limiting (System.Threading.RateLimiting).
/// </summary>
/// <remarks>
/// NOTE: ASP.NET Core's rate limiting middleware partitions by request, before the body is read; a mutation's
/// tenant is only known from its input, and mutations also arrive over WebSocket. So the same limiter is asked
/// here, per mutation, where the tenant is known.
/// </remarks>
public sealed class MutationRateLimiter(ApiLimits limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(tenant =>
        RateLimitPartition.GetTokenBucketLimiter(tenant, _ => Bucket(limits)));

    /// <summary>
    /// Refilled in whole mutations about every 100 ms (tokens = rate / 10, rounded up, every tokens / rate seconds), so
    /// the sustained rate is exactly the configured one, below 10 per second included (one every 1 / rate seconds).
    /// </summary>
    private static TokenBucketRateLimiterOptions Bucket(ApiLimits limits)
    {
        var rate = Math.Max(limits.MutationsPerSecondPerTenant, 1);
        var tokens = (rate + 9) / 10;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(limits.MutationBurstPerTenant, 1),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokens / rate),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>Takes one mutation from the tenant's bucket; when it is empty, how long until one is back.</summary>
    public (bool Allowed, TimeSpan RetryAfter) TryAcquire(TenantId tenant)
    {
        using var lease = limiter.AttemptAcquire(tenant.Value);
        return lease.IsAcquired
            ? (true, TimeSpan.Zero)
            : (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMilliseconds(100));
    }

    public void Dispose() => limiter.Dispose();
}
