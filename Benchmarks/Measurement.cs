namespace CartGraph.Benchmarks;

/// <summary>One figure of a run: its key in RESULTS_JSON (named with its unit), a label and a value.</summary>
public sealed record Figure(string Key, string Label, double Value, string Unit, string? Note = null);

/// <summary>Latencies collected during a measurement, summarized as percentiles.</summary>
public sealed class Latencies
{
    private readonly List<double> samples = [];
    private readonly Lock gate = new();

    public void Add(TimeSpan elapsed)
    {
        lock (gate) samples.Add(elapsed.TotalMilliseconds);
    }

    public int Count => samples.Count;

    /// <summary>The samples as they were added, rounded to the millisecond: to see when the slow ones came.</summary>
    public string InOrder()
    {
        lock (gate) return string.Join(' ', samples.Select(s => s.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public double Percentile(double p)
    {
        lock (gate)
        {
            if (samples.Count == 0) return double.NaN;
            var sorted = samples.Order().ToArray();
            var index = (int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
            return sorted[index];
        }
    }
}
