using System.Collections.Concurrent;
using System.Diagnostics;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// The carts projection: catch-up speed from a cold cursor, and live lag from an append's commit to its
/// cart's row being updated and announced, while eight writers append.
/// </summary>
internal static class ProjectionSuite
{
    private const int CatchUpEvents = 100_000;
    private const int Writers = 8;
    private const int CartsPerWriter = 25;

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context)
    {
        var (catchUp, tenant) = await CatchUp(context);
        var figures = new List<Figure> { catchUp, await Rebuild(context, tenant) };
        figures.AddRange(await LiveLag(context));
        return figures;
    }

    /// <summary>A blue/green rebuild of the caught-up tenant: the next version built beside the served one, then switched.</summary>
    private static async Task<Figure> Rebuild(BenchContext context, Domain.Values.TenantId tenant)
    {
        var clock = Stopwatch.StartNew();
        var done = 0L;
        using (var progress = new Progress("rebuilding the carts read model beside the served version", CatchUpEvents))
            await new ProjectionRebuild(context.Database, new ProjectionOptions()).RunAsync(new CartsProjection(), [tenant],
                new Progress<RebuildProgress>(p => { var step = p.Done - Interlocked.Exchange(ref done, p.Done); if (step > 0) progress.Advance((int)step); }));
        clock.Stop();
        return new("projection_rebuild_events_per_s", "carts projection blue/green rebuild and switch, 100 000 events",
            CatchUpEvents / clock.Elapsed.TotalSeconds, "events/s", $"{clock.Elapsed.TotalSeconds:0.0} s, batches of {new ProjectionOptions().BatchSize}");
    }

    private static async Task<(Figure, Domain.Values.TenantId)> CatchUp(BenchContext context)
    {
        var tenant = await context.NewTenantAsync("catchup");
        var carts = CatchUpEvents / 5;
        using (var progress = new Progress("writing 100 000 cart events (5 per cart) to catch up on", CatchUpEvents))
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) is var cart && cart < carts)
                {
                    await context.Store.AppendAsync(tenant, $"cart-{cart}", Cart.StreamType, SampleEvents.Cart(), ExpectedVersion.NoStream);
                    progress.Advance(5);
                }
            })));
        }

        var processor = new ProjectionProcessor(context.Database, new CartsProjection(), tenant, new ProjectionOptions(),
            new ProcessorStatus(), NullLogger.Instance);
        var clock = Stopwatch.StartNew();
        var consumed = 0L;
        using (var progress = new Progress("carts projection catching up from a cold cursor", CatchUpEvents))
        {
            while (consumed < CatchUpEvents)
            {
                var batch = await processor.ProcessBatchAsync();
                consumed += batch;
                progress.Advance(batch);
                if (batch == 0) await Task.Delay(1);
            }
        }
        clock.Stop();
        return (new("projection_catchup_events_per_s", "carts projection catch-up, cold cursor, 100 000 events",
            consumed / clock.Elapsed.TotalSeconds, "events/s", $"{clock.Elapsed.TotalSeconds:0.0} s, batches of {new ProjectionOptions().BatchSize}"), tenant);
    }

    private static async Task<IReadOnlyList<Figure>> LiveLag(BenchContext context)
    {
        var tenant = await context.NewTenantAsync("lag");
        var status = new ProcessorStatus();
        var listener = new PostgresListener(context.Database, ProjectionChannels.All);
        var notifier = new AppendNotifier(context.Database, context.Store);
        var host = new ProcessorHost(context.Database, new TenantActivity(context.Database), [new CartsProjection()], new ProjectionOptions(), status,
            context.Store, listener, NullLoggerFactory.Instance);

        var committed = new ConcurrentDictionary<(string, long), long>();
        var appendLatencies = new Latencies();
        var lags = new Latencies();
        using var announced = listener.Subscribe(ProjectedChanges.Channel, payload =>
        {
            var now = Stopwatch.GetTimestamp();
            if (ProjectedChanges.Parse(payload) is not { } changes || changes.Tenant != tenant.Value) return;
            foreach (var change in changes.Changes)
                for (var version = change.Version; committed.TryRemove((change.Id, version), out var at); version--)
                    lags.Add(Stopwatch.GetElapsedTime(at, now));
        });

        using var stop = new CancellationTokenSource();
        await listener.StartAsync(stop.Token);
        await notifier.StartAsync(stop.Token);
        await host.StartAsync(stop.Token);
        while (!listener.IsConnected) await Task.Delay(10);

        var perWriter = Math.Max(context.Events / Writers, 200);
        using (var progress = new Progress($"live lag, {Writers} writers appending", perWriter * Writers))
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                var versions = new long[CartsPerWriter];
                for (var i = 0; i < perWriter; i++)
                {
                    var slot = i % CartsPerWriter;
                    var cartId = $"w{writer}-cart-{slot}";
                    var message = versions[slot] == 0 ? SampleEvents.Cart()[..1] : [SampleEvents.ItemAdded(i)];
                    // NOTE: timed from before the append, so the lag is overstated by the append's own latency,
                    // never understated, and the announcement can never arrive before its start is recorded.
                    committed[(cartId, versions[slot] + 1)] = Stopwatch.GetTimestamp();
                    var appendStarted = Stopwatch.GetTimestamp();
                    var result = await context.Store.AppendAsync(tenant, cartId, Cart.StreamType, message, ExpectedVersion.Exactly(versions[slot]));
                    appendLatencies.Add(Stopwatch.GetElapsedTime(appendStarted));
                    versions[slot] = result.Match(r => r.NextStreamPosition, e => throw new InvalidOperationException(e.Message));
                    progress.Advance();
                }
            })));
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!committed.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(10);

        Progress.Say($"  append latency under this load: p50 {appendLatencies.Percentile(50):0.0} ms, p99 {appendLatencies.Percentile(99):0.0} ms");
        var state = status.Processors.Single(p => p.Tenant == tenant.Value);
        Progress.Say($"  {state.Batches:N0} batches, {perWriter * Writers / (double)Math.Max(state.Batches, 1):0.0} appends per batch, last took {state.LastBatchDuration.TotalMilliseconds:0.0} ms");
        await host.StopAsync(CancellationToken.None);
        await notifier.StopAsync(CancellationToken.None);
        await listener.StopAsync(CancellationToken.None);
        if (!committed.IsEmpty) throw new InvalidOperationException($"{committed.Count} appends were never projected");
        return
        [
            new("projection_lag_p50_ms", "live lag append -> carts row updated, p50", lags.Percentile(50), "ms", $"{lags.Count:N0} appends by {Writers} writers"),
            new("projection_lag_p99_ms", "live lag append -> carts row updated, p99", lags.Percentile(99), "ms"),
        ];
    }
}
