using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Runs the steps of every processor of the instance on a fixed number of workers
/// (<see cref="ProjectionOptions.MaxBatchesInFlight"/>): at most that many batches, and connections, at once, however many
/// tenants. A processor with work takes one step (one batch) per turn and goes to the back of the queue, so a tenant
/// catching up on a million messages does not hold the others up. One without work takes no turn and costs nothing.
/// </summary>
internal sealed class ProcessorScheduler
{
    private readonly ProjectionOptions options;
    private readonly ILogger logger;
    private readonly Channel<ProcessorSlot> ready = Channel.CreateUnbounded<ProcessorSlot>();
    private readonly DelayedWakes<(ProcessorSlot Slot, int Version)> later;

    public ProcessorScheduler(ProjectionOptions options, ILogger logger)
    {
        this.options = options;
        this.logger = logger;
        later = new DelayedWakes<(ProcessorSlot Slot, int Version)>(wake =>
        {
            if (wake.Slot.Due(wake.Version)) ready.Writer.TryWrite(wake.Slot);
        });
    }

    /// <summary>Runs steps until cancelled; the steps running then are finished (their batches committed), not abandoned.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([later.RunAsync(stoppingToken), .. Enumerable.Range(0, options.MaxBatchesInFlight).Select(_ => Task.Run(() => WorkAsync(stoppingToken)))]);

    /// <param name="announced">New messages were announced: look again a few times shortly if none is readable yet.</param>
    public void Wake(ProcessorSlot slot, Work work, bool announced = false)
    {
        if (slot.Wake(work, announced)) ready.Writer.TryWrite(slot);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await ready.Reader.WaitToReadAsync(stoppingToken))
                while (!stoppingToken.IsCancellationRequested && ready.Reader.TryRead(out var slot))
                {
                    if (slot.Start() is not { } work) continue;
                    var next = await StepAsync(slot, work, stoppingToken);
                    switch (slot.Finish(next))
                    {
                        case (true, _, _):
                            ready.Writer.TryWrite(slot);
                            break;
                        case (_, { } delay, var version):
                            later.Schedule((slot, version), delay);
                            break;
                    }
                }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping between steps.
        }
    }

    /// <summary>
    /// One step: a batch, or a look at the backlog, and what comes next. Reads first after announced messages, and looks
    /// again within the eager window while nothing is readable yet (an older transaction still holds the snapshot back);
    /// measures its lag when it has nothing left to read, so a processor goes idle only knowing it is caught up, and one
    /// whose messages cannot be read yet looks again every <see cref="ProjectionOptions.PollInterval"/>.
    /// </summary>
    private async Task<NextStep> StepAsync(ProcessorSlot slot, Work work, CancellationToken stoppingToken)
    {
        var processor = slot.Processor;
        try
        {
            if (work == Work.Check && (await MeasureAsync(slot, stoppingToken)).Events == 0) return NextStep.Idle;
            // NOTE: a batch is never cancelled half way: stopping waits for it to commit.
            var consumed = await processor.ProcessBatchAsync(CancellationToken.None);
            slot.Backoff = TimeSpan.Zero;
            if (consumed > 0)
            {
                if (slot.LagDue) await MeasureAsync(slot, stoppingToken);
                return NextStep.Now;
            }
            if (slot.EagerDelay() is { } soon)
            {
                if (slot.LagDue) await MeasureAsync(slot, stoppingToken);
                return NextStep.After(soon);
            }
            return (await MeasureAsync(slot, stoppingToken)).Events > 0 ? NextStep.After(options.PollInterval) : NextStep.Idle;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return NextStep.Idle;
        }
        catch (Exception e)
        {
            slot.Backoff = TimeSpan.FromMilliseconds(Math.Clamp(slot.Backoff.TotalMilliseconds * 2, 100, 10_000));
            logger.LogError(e, "{Projection}/{Tenant}: batch failed; retrying in {Backoff}", processor.Projection.Name, processor.Tenant, slot.Backoff);
            processor.Failed(e);
            return NextStep.After(slot.Backoff);
        }
    }

    private async Task<(long Events, TimeSpan Time)> MeasureAsync(ProcessorSlot slot, CancellationToken cancellationToken)
    {
        var lag = await slot.Processor.MeasureLagAsync(cancellationToken);
        slot.LagMeasured(options.LagInterval);
        return lag;
    }
}
