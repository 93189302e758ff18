using System.Globalization;
using System.Text.Json;

namespace CartGraph.Benchmarks;

/// <summary>The human-readable table, then one machine-readable line: <c>RESULTS_JSON {...}</c>.</summary>
internal static class Report
{
    public static void Print(IReadOnlyList<string> header, IReadOnlyList<Figure> figures)
    {
        foreach (var line in header) Console.WriteLine(line);
        Console.WriteLine();
        var labelWidth = Math.Max(10, figures.Max(f => f.Label.Length));
        Console.WriteLine($"{"figure".PadRight(labelWidth)}  {"value",14}  {"unit",-9}  note");
        Console.WriteLine($"{new string('-', labelWidth)}  {new string('-', 14)}  {new string('-', 9)}  ----");
        foreach (var f in figures)
            Console.WriteLine($"{f.Label.PadRight(labelWidth)}  {Format(f.Value),14}  {f.Unit,-9}  {f.Note}");
        Console.WriteLine();
        var json = JsonSerializer.Serialize(figures.ToDictionary(f => f.Key, f => Math.Round(f.Value, 3)));
        Console.WriteLine($"RESULTS_JSON {json}");
    }

    private static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.000", CultureInfo.InvariantCulture);
}
