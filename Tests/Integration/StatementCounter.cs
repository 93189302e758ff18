using System.Diagnostics;

namespace CartGraph.Tests.Integration;

/// <summary>
/// Counts the round trips this process sends to one database, through Npgsql's own tracing (an activity per command or
/// batch, tagged with its database): whatever sends them, pooled or dedicated connections alike. Other test classes'
/// databases are other names, so their statements are not counted.
/// </summary>
internal sealed class StatementCounter : IDisposable
{
    private readonly ActivityListener listener;
    private readonly string database;
    private readonly Func<string, bool>? counted;
    private long count;

    /// <param name="counted">Which statements count, by their text; every one when null.</param>
    public StatementCounter(string database, Func<string, bool>? counted = null)
    {
        this.database = database;
        this.counted = counted;
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public long Count => Interlocked.Read(ref count);

    /// <summary>The round trips sent during <paramref name="window"/>.</summary>
    public async Task<long> DuringAsync(TimeSpan window)
    {
        var before = Count;
        await Task.Delay(window);
        return Count - before;
    }

    private void Stopped(Activity activity)
    {
        if (activity.GetTagItem("db.namespace") as string != database) return;
        if (counted is null || activity.GetTagItem("db.query.text") is string text && counted(text)) Interlocked.Increment(ref count);
    }

    public void Dispose() => listener.Dispose();
}
