using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>How many staged sets of tenant tables the pool keeps (<see cref="PartitionPool"/>), and how often it is checked.</summary>
public sealed record PartitionPoolOptions
{
    /// <summary>Sets kept ready: this many onboardings in a row take one before they must create their tables. 0: no pool.</summary>
    public int Size { get; init; } = 16;

    /// <summary>A check when nothing woke the filler (a notification missed while the listener was down, another instance's fill that died).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Keeps the partition pool filled: at start, after each onboarding that took a set (a notification from any instance,
/// or from an Emmett client), after the listener reconnected, and on a slow timer. A full pool costs one look at a
/// small table per <see cref="PartitionPoolOptions.CheckInterval"/>; instances that fill at once do not overfill it.
/// </summary>
public sealed class PartitionPoolFiller(
    PartitionPool pool, PostgresListener listener, PartitionPoolOptions options, ILogger<PartitionPoolFiller>? logger = null)
    : BackgroundService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    private readonly ILogger logger = logger ?? NullLogger<PartitionPoolFiller>.Instance;
    private readonly WakeSignal wake = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Size <= 0) return;
        using var subscription = listener.Subscribe(PartitionPool.Channel, _ => wake.Set());
        listener.Reconnected += wake.Set;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = options.CheckInterval;
                try
                {
                    var added = await pool.FillAsync(options.Size, stoppingToken);
                    if (added > 0) logger.LogDebug("Staged {Added} sets of tenant tables ahead of their tenants", added);
                }
                catch (NpgsqlException e)
                {
                    logger.LogWarning("Could not fill the partition pool ({Error}); trying again", e.Message);
                    next = RetryAfterFailure;
                }
                await wake.WaitAsync(next, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Reconnected -= wake.Set;
        }
    }
}
