using System.Diagnostics;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// Append throughput (1 and 8 writers, 1 and 5 events per append) against the raw limit, and aggregate latency.
/// </summary>
/// <remarks>
/// NOTE: the machine is shared and its disk's fsync time varies several-fold from one second to the next, so
/// each figure is measured in short rounds that alternate with the raw limits (the same number of
/// transactions each, in alternating order) and reported as medians: a ratio is the median of the
/// per-round ratios, each taken from measurements a second or two apart.
/// </remarks>
internal static class AppendSuite
{
    private const int StreamsPerWriter = 100;
    private const int Rounds = 9;

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context)
    {
        var raw = await RawLimit.PrepareAsync(context);
        var figures = new List<Figure>();
        figures.AddRange(await Appends(context, raw, writers: 1, eventsPerAppend: 1));
        figures.AddRange(await Appends(context, raw, writers: 8, eventsPerAppend: 1));
        figures.AddRange(await Appends(context, raw, writers: 1, eventsPerAppend: 5));
        figures.Add(await Aggregate(context));
        return figures;
    }

    private static async Task<IReadOnlyList<Figure>> Appends(
        BenchContext context, RawMeters raw, int writers, int eventsPerAppend)
    {
        var name = $"append_{writers}w_{eventsPerAppend}e";
        var tenant = await context.NewTenantAsync($"{writers}w{eventsPerAppend}e");
        var versions = new long[writers, StreamsPerWriter];
        var latencies = new Latencies();
        var perRound = Math.Max(context.Events / Rounds / eventsPerAppend / writers, 50);
        var rounds = new List<(double Raw, double Driver, double Appends)>();

        // Warm up: JIT tiering and statement preparation settle before anything is measured.
        await Run(context, tenant, versions, writers, eventsPerAppend, Math.Max(2000 / writers, 100), new Latencies(), null);
        using (var progress = new Progress($"{name} ({writers} writer(s), {eventsPerAppend} event(s) per append, {Rounds} rounds vs raw)",
                   (long)Rounds * perRound * writers * eventsPerAppend))
        {
            for (var round = 0; round < Rounds; round++)
            {
                async Task<double> Ours()
                {
                    var clock = Stopwatch.StartNew();
                    await Run(context, tenant, versions, writers, eventsPerAppend, perRound, latencies, progress);
                    return perRound * writers / clock.Elapsed.TotalSeconds;
                }
                if (round % 2 == 0)
                {
                    var rawTps = await raw.Pgbench(writers, perRound);
                    var driverTps = await raw.Npgsql(writers, perRound);
                    rounds.Add((rawTps, driverTps, await Ours()));
                }
                else
                {
                    var oursTps = await Ours();
                    var driverTps = await raw.Npgsql(writers, perRound);
                    rounds.Add((await raw.Pgbench(writers, perRound), driverTps, oursTps));
                }
            }
        }

        var appendsPerSecond = Median(rounds.Select(r => r.Appends));
        var rawPerSecond = Median(rounds.Select(r => r.Raw));
        var ratio = Median(rounds.Select(r => r.Appends / r.Raw));
        var driverPerSecond = Median(rounds.Select(r => r.Driver));
        var driverRatio = Median(rounds.Select(r => r.Appends / r.Driver));
        var figures = new List<Figure>
        {
            new($"{name}_events_per_s", $"append, {writers} writer(s), {eventsPerAppend} event(s)/append",
                appendsPerSecond * eventsPerAppend, "events/s", $"{appendsPerSecond:N0} appends/s"),
            new($"{name}_p50_ms", $"append latency p50, {writers}w {eventsPerAppend}e", latencies.Percentile(50), "ms"),
            new($"{name}_p99_ms", $"append latency p99, {writers}w {eventsPerAppend}e", latencies.Percentile(99), "ms"),
        };
        if (eventsPerAppend == 1)
            figures.InsertRange(0,
            [
                new($"raw_{writers}w_tps", $"raw limit, {writers} client(s) (pgbench)", rawPerSecond, "tx/s",
                    "1 stream row moved + 1 message row inserted per transaction"),
                new($"{name}_of_raw_pct", $"appends/s as a share of raw, {writers} writer(s)", 100 * ratio, "%",
                    $"per-round ratios: {string.Join(", ", rounds.Select(r => $"{r.Appends / r.Raw:P0}"))}"),
                new($"raw_npgsql_{writers}w_tps", $"same raw statement through Npgsql, {writers} client(s)", driverPerSecond, "tx/s",
                    "the .NET driver's own ceiling"),
                new($"{name}_of_raw_npgsql_pct", $"appends/s as a share of raw through Npgsql, {writers} writer(s)", 100 * driverRatio, "%"),
            ]);
        return figures;
    }

    private static Task Run(BenchContext context, TenantId tenant, long[,] versions, int writers, int eventsPerAppend,
        int appendsPerWriter, Latencies latencies, Progress? progress) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < appendsPerWriter; i++)
            {
                var slot = i % StreamsPerWriter;
                var batch = Enumerable.Range(i * eventsPerAppend, eventsPerAppend).Select(SampleEvents.ItemAdded).ToArray();
                var started = Stopwatch.GetTimestamp();
                var result = await context.Store.AppendAsync(
                    tenant, $"w{writer}-s{slot}", "cart", batch, ExpectedVersion.Exactly(versions[writer, slot]));
                latencies.Add(Stopwatch.GetElapsedTime(started));
                versions[writer, slot] = result.Match(r => r.NextStreamPosition, e => throw new InvalidOperationException(e.Message));
                progress?.Advance(eventsPerAppend);
            }
        })));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<Figure> Aggregate(BenchContext context)
    {
        const int Streams = 500;
        var tenant = await context.NewTenantAsync("aggregate");
        for (var i = 0; i < Streams; i++)
            await context.Store.AppendAsync(tenant, $"cart-{i}", Cart.StreamType, SampleEvents.Cart(), ExpectedVersion.NoStream);

        var iterations = Math.Max(context.Events, 5_000);
        var latencies = new Latencies();
        for (var i = 0; i < 500; i++)
            await context.Store.AggregateStreamAsync(tenant, $"cart-{i % Streams}", Cart.Decider, CartEventJson.Codec);
        using (var progress = new Progress("aggregate a 5-event cart stream", iterations))
        {
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var (state, version) = (await context.Store.AggregateStreamAsync(tenant, $"cart-{i % Streams}", Cart.Decider, CartEventJson.Codec))
                    .Match(read => read, error => throw new InvalidOperationException(error.Message));
                latencies.Add(Stopwatch.GetElapsedTime(started));
                if (version != 5 || state is not CartState.ActiveCart) throw new InvalidOperationException("unexpected aggregate");
                progress.Advance();
            }
        }
        return new("aggregate_5e_p50_ms", "aggregate a 5-event stream, p50", latencies.Percentile(50), "ms",
            $"p99 {latencies.Percentile(99):0.000} ms");
    }
}
