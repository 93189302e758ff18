using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Runs the processors of this instance. What it costs does not grow with idle tenants: a processor takes turns on the
/// shared workers only when it has work (<see cref="ProcessorScheduler"/>), woken by appends (its own process's and, over
/// NOTIFY, every other's) and by one sweep for all tenants (<see cref="ActivitySweep"/>); ownership is a fixed number of
/// buckets of tenants, each one advisory lock on one connection, spread fairly over the live instances. When an instance
/// dies its connection goes and its locks with it, so the others take its buckets at their next round.
/// </summary>
/// <remarks>
/// NOTE: should the lock connection drop while a batch is in flight, the batch's compare of the stored cursor
/// (<see cref="ProjectionProcessor"/>) still keeps two owners from both moving it.
/// </remarks>
public sealed class ProcessorHost : BackgroundService
{
    private const string ApplicationName = "cartgraph-processors";

    private readonly PostgresDatabase database;
    private readonly ProjectionOptions options;
    private readonly ILogger logger;
    private readonly ProcessorScheduler scheduler;
    private readonly ProcessorRoster roster;
    private readonly ActivitySweep sweep;

    public ProcessorHost(
        PostgresDatabase database,
        TenantActivity activity,
        IEnumerable<IProjection> projections,
        ProjectionOptions options,
        ProcessorStatus status,
        EventStore.EventStore store,
        PostgresListener? listener = null,
        ILoggerFactory? loggers = null)
    {
        loggers ??= NullLoggerFactory.Instance;
        this.database = database;
        this.options = options;
        logger = loggers.CreateLogger<ProcessorHost>();
        scheduler = new ProcessorScheduler(options, loggers.CreateLogger<ProjectionProcessor>());
        roster = new ProcessorRoster(database, projections.ToList(), options, status, scheduler, loggers);
        sweep = new ActivitySweep(activity);
        store.Appended += Wake;
        if (listener is null) return;
        listener.Subscribe(AppendNotifier.Channel, payload => TenantId.Create(payload).IfSuccess(Wake));
        listener.Subscribe(SubscriptionCheckpoints.ResetChannel, payload => TenantId.Create(payload).IfSuccess(CursorReset));
        // Whatever was notified while the connection was down is missed: every processor looks once.
        listener.Reconnected += roster.HintAll;
    }

    /// <summary>Whether the ownership connection is up and rounds are running (for the readiness check).</summary>
    public bool IsRunning { get; private set; }

    /// <summary>The (projection, tenant) pairs this instance processes now.</summary>
    public IReadOnlyCollection<(string Projection, string Tenant)> Owned => roster.Owned;

    /// <summary>New messages for a tenant: its processors read now, and a tenant not seen before becomes known.</summary>
    public void Wake(TenantId tenant) => roster.Announced(tenant);

    /// <summary>A tenant's cursor was reset (a rebuild): its processors read it again and start replaying now.</summary>
    public void CursorReset(TenantId tenant) => roster.Hint(tenant, cursorMayHaveMoved: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Any of the four ending before the host stops is a failure: the others stop too, and it is reported.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task[] loops = [scheduler.RunAsync(stop.Token), SweepAsync(stop.Token), OwnAsync(stop.Token), RolloutAsync(stop.Token)];
        await Task.WhenAny(loops);
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(loops);
        }
        finally
        {
            IsRunning = false;
        }
    }

    /// <summary>Ownership rounds on a connection of its own, which holds the bucket locks; reconnects with backoff.</summary>
    private async Task OwnAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var locks = await database.Dedicated.OpenConnectionAsync(stoppingToken);
                await using (var name = new NpgsqlCommand($"SET application_name = '{ApplicationName}'", locks))
                    await name.ExecuteNonQueryAsync(stoppingToken);
                IsRunning = true;
                backoff = TimeSpan.FromMilliseconds(100);
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await OwnershipRoundAsync(locks, stoppingToken);
                        await Task.Delay(options.OwnershipInterval, stoppingToken);
                    }
                }
                finally
                {
                    // Stopping: processors commit their batch in flight while this connection still holds their locks;
                    // closing it then releases every one at once, so no other instance starts while a batch is still running.
                    if (stoppingToken.IsCancellationRequested) await roster.StopAllAsync();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                IsRunning = false;
                logger.LogWarning("Processor ownership connection lost ({Error}); stopping {Count} processor(s) and reconnecting",
                    e.Message, roster.Owned.Count);
                await roster.StopAllAsync();
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        IsRunning = false;
        await roster.StopAllAsync();
    }

    /// <summary>
    /// Hands back what exceeds this instance's fair share and tries to take free buckets up to it (<see cref="OwnershipPlan"/>),
    /// knowing the instances by their lock connections: one round trip when nothing changes, whatever the tenant count.
    /// </summary>
    private async Task OwnershipRoundAsync(NpgsqlConnection locks, CancellationToken cancellationToken)
    {
        var (others, heldElsewhere) = await BucketLocks.SurveyAsync(locks, ApplicationName, cancellationToken);
        var instances = others.Count + 1;
        var plan = OwnershipPlan.Of(roster.Buckets, others, heldElsewhere, roster.BusyBuckets, Random.Shared);
        if (plan.Release.Count > 0)
        {
            await roster.HandBackAsync(plan.Release);
            await BucketLocks.ReleaseAsync(locks, plan.Release, cancellationToken);
            logger.LogInformation("Handed {Count} bucket(s) of tenants over ({Instances} instance(s)): {Buckets}",
                plan.Release.Count, instances, string.Join(", ", plan.Release.Order()));
        }
        var taken = await BucketLocks.TryAcquireAsync(locks, plan.Acquire, cancellationToken);
        if (taken.Count == 0) return;
        var tenants = roster.Take(taken);
        logger.LogInformation("Processing {Count} more bucket(s) of tenants ({Tenants} tenant(s) known in them; {Instances} instance(s)): {Buckets}",
            taken.Count, tenants, instances, string.Join(", ", taken.Order()));
    }

    /// <summary>Builds, in the background, the declared version of the tenants this instance owns that are served an older one.</summary>
    private async Task RolloutAsync(CancellationToken stoppingToken)
    {
        try
        {
            await roster.Rollout.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The sweep, every <see cref="ProjectionOptions.PollInterval"/>; a failed one is tried again at the next.</summary>
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await sweep.RunAsync(stoppingToken) is { } findings) await roster.ApplyAsync(findings);
                await Task.Delay(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogDebug("Sweep failed ({Error}); trying again", e.Message);
                await Task.Delay(options.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
