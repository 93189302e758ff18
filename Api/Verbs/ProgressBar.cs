namespace CartGraph.Api.Verbs;

/// <summary>A progress bar on one line of stderr, redrawn in place; a new line for each step (a tenant, a phase).</summary>
public sealed class ProgressBar(TextWriter output)
{
    private const int Width = 30;
    private string? step;

    public void Show(string label, long done, long total)
    {
        if (step is not null && step != label) output.WriteLine();
        step = label;
        var fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Round(fraction * Width);
        output.Write($"\r  {label,-28} [{new string('#', filled)}{new string('.', Width - filled)}] {done:N0}/{total:N0}");
    }

    /// <summary>The bar as the progress sink of a long piece of work, which says what each report shows.</summary>
    public IProgress<T> For<T>(Func<T, (string Label, long Done, long Total)> describe) =>
        new Relay<T>(value =>
        {
            var (label, done, total) = describe(value);
            Show(label, done, total);
        });

    /// <summary>Ends the last line, if a bar was drawn.</summary>
    public void Finish()
    {
        if (step is not null) output.WriteLine();
        step = null;
    }

    /// <summary>Reports synchronously, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
