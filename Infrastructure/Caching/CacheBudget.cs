namespace CartGraph.Infrastructure.Caching;

/// <summary>How many bytes a cache may hold.</summary>
public static class CacheBudget
{
    private const long MaxDefault = 64L << 20;

    /// <summary>
    /// An eighth of the memory the GC may use (the heap hard limit, the container's limit or the machine's), at most
    /// 64 MB: two caches then take at most a quarter of a limited heap, and leave the rest to serving.
    /// </summary>
    public static long Default => Math.Min(MaxDefault, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8);

    public static long Megabytes(long bytes) => bytes >> 20;
}
