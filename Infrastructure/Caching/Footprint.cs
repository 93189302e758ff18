namespace CartGraph.Infrastructure.Caching;

/// <summary>
/// What objects take on the 64-bit .NET heap, approximately, for caches that budget bytes: a header (sync block and
/// type pointer) before the fields, everything rounded up to 8 bytes, 24 bytes at least.
/// </summary>
/// <remarks>The estimates of whole entries are checked against the GC's own count by the soak benchmark (Benchmarks/README.md).</remarks>
public static class Footprint
{
    public const int Header = 16;

    public const int Reference = 8;

    /// <summary>An object whose fields take <paramref name="fieldBytes"/>.</summary>
    public static long Object(int fieldBytes) => Math.Max(24, Align(Header + fieldBytes));

    /// <summary>A string: header, length, UTF-16 characters and a terminating zero.</summary>
    public static long String(string? text) => text is null ? 0 : Align(Header + 4 + 2L * (text.Length + 1));

    /// <summary>An array of <paramref name="length"/> references (or elements of <paramref name="elementBytes"/>).</summary>
    public static long Array(int length, int elementBytes = Reference) => Math.Max(24, Align(Header + 8 + (long)length * elementBytes));

    private static long Align(long bytes) => (bytes + 7) & ~7L;
}
