using System.Diagnostics;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// Per stream position: how many subscribers got it, and when the last one did. Every subscriber notes each event here at
/// once, so it is counters in arrays (positions are small), not a dictionary whose one key all of them would fight over.
/// </summary>
internal sealed class FanoutDeliveries(int positions)
{
    private readonly int[] counts = new int[positions];
    private readonly long[] lastAt = new long[positions];

    public void Received(long position)
    {
        if (position < 0 || position >= counts.Length) throw new ArgumentOutOfRangeException(nameof(position), position, "past the positions counted");
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref counts[position]);
        var last = Volatile.Read(ref lastAt[position]);
        while (now > last && Interlocked.CompareExchange(ref lastAt[position], now, last) is var seen && seen != last) last = seen;
    }

    public int Count(long position) => Volatile.Read(ref counts[position]);

    public long LastAt(long position) => Volatile.Read(ref lastAt[position]);
}
