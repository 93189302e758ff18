using CartGraph.Infrastructure.Caching;

namespace CartGraph.Api.Hosting;

/// <summary>
/// Configuration section <c>Caches</c>: the memory, in megabytes, that the aggregate cache (<c>AggregateMegabytes</c>)
/// and the cart read cache (<c>CartMegabytes</c>) may hold; each defaults to <see cref="CacheBudget.Default"/>.
/// </summary>
public sealed record CacheSettings(long? AggregateMegabytes = null, long? CartMegabytes = null)
{
    public const string Section = "Caches";

    public long AggregateBytes => Bytes(AggregateMegabytes);

    public long CartBytes => Bytes(CartMegabytes);

    public static CacheSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<CacheSettings>() ?? new CacheSettings();

    private static long Bytes(long? megabytes) => megabytes is { } given ? given << 20 : CacheBudget.Default;
}
