using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace CartGraph.Benchmarks;

/// <summary>
/// The database commands another .NET process has sent: Npgsql's own <c>total-commands</c> counter (every command or
/// batch executed, whatever the connection), read through the process's diagnostics port as dotnet-counters reads it.
/// It counts what that process sends, and nothing of other processes of the cluster (autovacuum, other clients).
/// </summary>
public sealed class NpgsqlCommands : IDisposable
{
    private readonly EventPipeSession session;
    private readonly EventPipeEventSource source;
    private readonly Task processing;
    private readonly Lock gate = new();
    private long ticks;
    private double total = double.NaN;

    private NpgsqlCommands(int processId)
    {
        var client = new DiagnosticsClient(processId);
        session = client.StartEventPipeSession(
            [new EventPipeProvider("Npgsql", EventLevel.Informational, 0, new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" })],
            requestRundown: false);
        source = new EventPipeEventSource(session.EventStream);
        source.Dynamic.All += OnEvent;
        processing = Task.Run(source.Process);
    }

    public static NpgsqlCommands Watch(int processId) => new(processId);

    /// <summary>The count as the process reports it once a report sampled after this call has arrived (about 2 s).</summary>
    public async Task<double> CountAsync()
    {
        long start;
        lock (gate) start = ticks;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            lock (gate)
                if (ticks >= start + 2) return total; // the report in flight may have sampled before the call
            if (DateTime.UtcNow > deadline || processing.IsCompleted)
                throw new TimeoutException("Npgsql's counters were not reported by the API process within 15 s.");
            await Task.Delay(50);
        }
    }

    private void OnEvent(TraceEvent e)
    {
        if (e.EventName != "EventCounters" || e.PayloadValue(0) is not IDictionary<string, object> { } outer
            || outer["Payload"] is not IDictionary<string, object> payload || payload["Name"] as string != "total-commands") return;
        lock (gate)
        {
            total = Convert.ToDouble(payload["Mean"], System.Globalization.CultureInfo.InvariantCulture);
            ticks++;
        }
    }

    public void Dispose()
    {
        try
        {
            session.Stop();
        }
        catch (Exception e) when (e is ServerNotAvailableException or EndOfStreamException or IOException or TimeoutException)
        {
            // The process has gone: nothing left to stop.
        }
        source.Dispose();
        session.Dispose();
    }
}
