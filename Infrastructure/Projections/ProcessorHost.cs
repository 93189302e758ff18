using System.Collections.Concurrent;
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
/// Runs the processors this instance owns. Ownership of a (projection, tenant) is a session advisory lock on
/// one connection: exactly one instance holds it at a time, and when that instance dies its connection goes
/// and the lock with it, so another instance takes over at its next ownership round (seconds).
/// </summary>
/// <remarks>
/// NOTE: should the lock connection drop while a batch is in flight, the batch's compare of the stored cursor
/// (<see cref="ProjectionProcessor"/>) still keeps two owners from both moving it.
/// </remarks>
public sealed class ProcessorHost : BackgroundService
{
    private const string ApplicationName = "cartgraph-processors";

    private readonly PostgresDatabase database;
    private readonly TenantPartitions tenants;
    private readonly IReadOnlyList<IProjection> projections;
    private readonly ProjectionOptions options;
    private readonly ProcessorStatus status;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<(string Projection, string Tenant), Running> owned = new();
    private readonly WakeSignal discover = new();

    public ProcessorHost(
        PostgresDatabase database,
        TenantPartitions tenants,
        IEnumerable<IProjection> projections,
        ProjectionOptions options,
        ProcessorStatus status,
        EventStore.EventStore store,
        PostgresListener? listener = null,
        ILoggerFactory? loggers = null)
    {
        this.database = database;
        this.tenants = tenants;
        this.projections = projections.ToList();
        this.options = options;
        this.status = status;
        this.loggers = loggers ?? NullLoggerFactory.Instance;
        logger = this.loggers.CreateLogger<ProcessorHost>();
        store.Appended += Wake;
        listener?.Subscribe(AppendNotifier.Channel, payload => TenantId.Create(payload).IfSuccess(Wake));
        listener?.Subscribe(SubscriptionCheckpoints.ResetChannel, payload => TenantId.Create(payload).IfSuccess(CursorReset));
    }

    /// <summary>Whether the ownership connection is up and rounds are running (for the readiness check).</summary>
    public bool IsRunning { get; private set; }

    /// <summary>The (projection, tenant) pairs this instance processes now.</summary>
    public IReadOnlyCollection<(string Projection, string Tenant)> Owned => owned.Keys.ToList();

    /// <summary>New messages for a tenant: its processors look now, and a tenant not seen before is discovered.</summary>
    public void Wake(TenantId tenant)
    {
        var known = false;
        foreach (var projection in projections)
            if (owned.TryGetValue((projection.Name, tenant.Value), out var processor))
            {
                processor.Wake.Set();
                known = true;
            }
        if (!known) discover.Set();
    }

    /// <summary>
    /// A tenant's cursor was reset (a rebuild): its processors here read it again and start replaying now, whether or not
    /// a new message arrives. (A missed notification is caught by the processors' lag check, which compares the cursors.)
    /// </summary>
    public void CursorReset(TenantId tenant)
    {
        foreach (var projection in projections)
            if (owned.TryGetValue((projection.Name, tenant.Value), out var processor))
            {
                processor.Processor.CursorMayHaveMoved();
                processor.Wake.Set();
            }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
                        await discover.WaitAsync(options.OwnershipInterval, stoppingToken);
                    }
                }
                finally
                {
                    // Stopping: processors commit their batch in flight while this connection still holds their locks;
                    // closing it then releases every one at once, so no other instance starts while a batch is still running.
                    if (stoppingToken.IsCancellationRequested) await StopAllAsync();
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
                    e.Message, owned.Count);
                await StopAllAsync();
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        IsRunning = false;
        await StopAllAsync();
    }

    /// <summary>
    /// Takes over unowned work up to this instance's fair share, and hands back what exceeds it, one at a time,
    /// so that processors spread over every live instance (each holds an ownership connection, which is how they
    /// are counted).
    /// </summary>
    private async Task OwnershipRoundAsync(NpgsqlConnection locks, CancellationToken cancellationToken)
    {
        var known = await tenants.ListAsync(cancellationToken);
        var instances = await InstancesAsync(locks, cancellationToken);
        var work = projections.SelectMany(p => known.Select(t => (Projection: p, Tenant: t))).ToList();
        var fairShare = (int)Math.Ceiling(work.Count / (double)Math.Max(instances, 1));

        foreach (var (key, running) in owned.Where(o => o.Value.Task.IsCompleted).ToList())
            await ReleaseAsync(locks, key, running, cancellationToken);
        if (owned.Count > fairShare && owned.OrderBy(_ => Random.Shared.Next()).First() is var (extraKey, extra))
        {
            logger.LogInformation("Handing {Projection} for tenant {Tenant} over: {Owned} owned, fair share {Share} of {Instances} instance(s)",
                extraKey.Projection, extraKey.Tenant, owned.Count, fairShare, instances);
            await ReleaseAsync(locks, extraKey, extra, cancellationToken);
            return;
        }

        // Each instance tries in its own order, so that instances starting together do not contend for the same work.
        foreach (var (projection, tenant) in work.OrderBy(_ => Random.Shared.Next()))
        {
            if (owned.Count >= fairShare) break;
            if (owned.ContainsKey((projection.Name, tenant.Value))) continue;
            if (await ProcessorOwnership.TryAcquireAsync(locks, projection, tenant, cancellationToken)) Start(projection, tenant);
        }
    }

    private static async Task<int> InstancesAsync(NpgsqlConnection locks, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()", locks);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ApplicationName });
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task ReleaseAsync(NpgsqlConnection locks, (string Projection, string Tenant) key, Running running, CancellationToken cancellationToken)
    {
        owned.TryRemove(key, out _);
        await running.Stop.CancelAsync();
        await running.Task;
        running.Stop.Dispose();
        status.Remove(key.Projection, running.Processor.Tenant);
        await ProcessorOwnership.ReleaseAsync(locks, running.Processor.Projection, running.Processor.Tenant, cancellationToken);
    }

    private void Start(IProjection projection, TenantId tenant)
    {
        var processor = new ProjectionProcessor(database, projection, tenant, options, status,
            loggers.CreateLogger<ProjectionProcessor>());
        var stop = new CancellationTokenSource();
        var wake = new WakeSignal();
        wake.Set();
        var task = Task.Run(() => processor.RunAsync(wake, stop.Token));
        owned[(projection.Name, tenant.Value)] = new Running(processor, task, stop, wake);
        logger.LogInformation("Processing {Projection} for tenant {Tenant}", projection.Name, tenant);
    }

    /// <summary>Stops every processor after its batch in flight, and forgets their ownership.</summary>
    private async Task StopAllAsync()
    {
        var all = owned.ToArray();
        owned.Clear();
        foreach (var (_, processor) in all) await processor.Stop.CancelAsync();
        await Task.WhenAll(all.Select(p => p.Value.Task));
        foreach (var (key, processor) in all)
        {
            processor.Stop.Dispose();
            status.Remove(key.Projection, processor.Processor.Tenant);
        }
    }

    private sealed record Running(ProjectionProcessor Processor, Task Task, CancellationTokenSource Stop, WakeSignal Wake);
}
