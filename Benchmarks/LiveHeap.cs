using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace CartGraph.Benchmarks;

/// <summary>
/// The live managed heap of another .NET process: through its diagnostics port, the way dotnet-gcdump does, it has the
/// runtime run a full blocking GC and reads what survived every generation (large and pinned objects included).
/// </summary>
public static class LiveHeap
{
    private const EventLevel Level = EventLevel.Informational;

    public static async Task<long> MeasureAsync(int processId)
    {
        var client = new DiagnosticsClient(processId);
        // GCHeapCollect asks the runtime for an induced, blocking, gen 2 collection as the session starts.
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider(ClrTraceEventParser.ProviderName, Level, keywords)], requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        var induced = false;
        long? live = null;
        source.Clr.GCStart += e => induced |= e.Reason == GCReason.Induced && e.Depth == 2;
        source.Clr.GCHeapStats += e =>
        {
            if (!induced || live is not null) return;
            live = e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4;
            session.Stop();
        };
        var processing = Task.Run(source.Process);
        if (await Task.WhenAny(processing, Task.Delay(TimeSpan.FromSeconds(30))) != processing)
        {
            session.Stop();
            throw new TimeoutException($"No full GC reported by process {processId} within 30 s.");
        }
        return live ?? throw new InvalidOperationException($"Process {processId} ran no induced full GC.");
    }
}
