using System.Diagnostics;

namespace CartGraph.Benchmarks;

/// <summary>A one-line progress meter on stderr, so stdout keeps only the table and the results line.</summary>
public sealed class Progress : IDisposable
{
    private readonly string label;
    private readonly long total;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Timer timer;
    private long done;

    public Progress(string label, long total)
    {
        this.label = label;
        this.total = total;
        timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public void Advance(long count = 1) => Interlocked.Add(ref done, count);

    private void Draw()
    {
        var current = Interlocked.Read(ref done);
        var rate = current / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        Console.Error.Write($"\r  {label}: {current:N0}/{total:N0} ({100.0 * current / Math.Max(total, 1):0}%, {rate:N0}/s)   ");
    }

    public void Dispose()
    {
        timer.Dispose();
        Draw();
        Console.Error.WriteLine();
    }

    public static void Say(string line) => Console.Error.WriteLine(line);
}
