using System.Collections.Concurrent;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using Microsoft.Extensions.Logging;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Which processors this instance runs: one per projection for every known tenant of the buckets it owns. Tenants become
/// known through the sweep and through announced appends, and stop being known when the sweep no longer finds their
/// partitions (a tenant drop); buckets come and go with the ownership rounds. A processor removed runs no further step
/// once the one in flight has committed.
/// </summary>
internal sealed class ProcessorRoster(
    PostgresDatabase database,
    IReadOnlyList<IProjection> projections,
    ProjectionOptions options,
    ProcessorStatus status,
    ProcessorScheduler scheduler,
    ILoggerFactory loggers)
{
    private readonly Lock gate = new();
    private readonly HashSet<TenantId> known = [];
    private readonly HashSet<int> buckets = [];
    private readonly ConcurrentDictionary<(string Projection, string Tenant), ProcessorSlot> slots = new();
    private readonly ILogger processorLogger = loggers.CreateLogger<ProjectionProcessor>();

    /// <summary>Builds the declared version of the tenants served an older one (a deploy raised it).</summary>
    public VersionRollout Rollout { get; } = new(database, options, loggers);

    public IReadOnlyCollection<(string Projection, string Tenant)> Owned => slots.Keys.ToList();

    public IReadOnlySet<int> Buckets
    {
        get { lock (gate) return buckets.ToHashSet(); }
    }

    /// <summary>The buckets holding a known tenant.</summary>
    public IReadOnlySet<int> BusyBuckets
    {
        get { lock (gate) return known.Select(ProcessorBuckets.Of).ToHashSet(); }
    }

    /// <summary>New messages of a tenant were announced: its processors read now. Called on the appending thread: cheap.</summary>
    public void Announced(TenantId tenant)
    {
        var found = false;
        foreach (var projection in projections)
            if (slots.TryGetValue((projection.Name, tenant.Value), out var slot))
            {
                scheduler.Wake(slot, Work.Read, announced: true);
                found = true;
            }
        if (found) return;
        lock (gate)
            if (known.Add(tenant) && buckets.Contains(ProcessorBuckets.Of(tenant)))
                foreach (var slot in Start(tenant)) scheduler.Wake(slot, Work.Read, announced: true);
    }

    /// <summary>Something of a tenant may have changed: its processors look (measure first, read if there is anything).</summary>
    public void Hint(TenantId tenant, bool cursorMayHaveMoved = false)
    {
        foreach (var projection in projections)
            if (slots.TryGetValue((projection.Name, tenant.Value), out var slot))
            {
                if (cursorMayHaveMoved) slot.Processor.CursorMayHaveMoved();
                scheduler.Wake(slot, Work.Check);
            }
    }

    /// <summary>Every processor looks (e.g. notifications may have been missed while the listening connection was down).</summary>
    public void HintAll()
    {
        foreach (var slot in slots.Values) scheduler.Wake(slot, Work.Check);
    }

    /// <summary>Takes in what a sweep found: tenants new and gone, and those written to.</summary>
    public async Task ApplyAsync(SweepFindings findings)
    {
        var stopped = new List<ProcessorSlot>();
        lock (gate)
        {
            foreach (var tenant in findings.Gone)
                if (known.Remove(tenant)) stopped.AddRange(Remove(tenant));
            foreach (var tenant in findings.Tenants)
                if (known.Add(tenant) && buckets.Contains(ProcessorBuckets.Of(tenant)))
                    foreach (var slot in Start(tenant)) scheduler.Wake(slot, Work.Check);
        }
        foreach (var tenant in findings.Written) Hint(tenant);
        await StopAsync(stopped);
    }

    /// <summary>Buckets now owned: every known tenant of them gets its processors, which look at once.</summary>
    public int Take(IReadOnlyCollection<int> taken)
    {
        lock (gate)
        {
            buckets.UnionWith(taken);
            var tenants = known.Where(t => taken.Contains(ProcessorBuckets.Of(t))).ToList();
            foreach (var slot in tenants.SelectMany(Start)) scheduler.Wake(slot, Work.Check);
            return tenants.Count;
        }
    }

    /// <summary>Buckets handed over: their processors stop once their batches in flight have committed.</summary>
    public Task HandBackAsync(IReadOnlyCollection<int> released)
    {
        List<ProcessorSlot> stopped;
        lock (gate)
        {
            buckets.ExceptWith(released);
            stopped = known.Where(t => released.Contains(ProcessorBuckets.Of(t))).SelectMany(Remove).ToList();
        }
        return StopAsync(stopped);
    }

    /// <summary>Every processor stops (after its batch in flight) and every bucket is forgotten.</summary>
    public Task StopAllAsync()
    {
        List<ProcessorSlot> stopped;
        lock (gate)
        {
            buckets.Clear();
            stopped = known.SelectMany(Remove).ToList();
        }
        return StopAsync(stopped);
    }

    private List<ProcessorSlot> Start(TenantId tenant)
    {
        var started = new List<ProcessorSlot>();
        foreach (var projection in projections)
        {
            var key = (projection.Name, tenant.Value);
            if (slots.ContainsKey(key)) continue;
            var slot = new ProcessorSlot(new ProjectionProcessor(database, projection, tenant, options, status, processorLogger,
                olderServed: served => Rollout.Behind(projection, tenant, served)));
            status.Update(projection.Name, tenant, s => s);
            slots[key] = slot;
            started.Add(slot);
        }
        return started;
    }

    private IEnumerable<ProcessorSlot> Remove(TenantId tenant)
    {
        var removed = new List<ProcessorSlot>();
        foreach (var projection in projections)
            if (slots.TryRemove((projection.Name, tenant.Value), out var slot))
            {
                Rollout.Forget(projection, tenant);
                removed.Add(slot);
            }
        return removed;
    }

    private async Task StopAsync(List<ProcessorSlot> stopped)
    {
        await Task.WhenAll(stopped.Select(slot => slot.RemoveAsync()));
        foreach (var slot in stopped) status.Remove(slot.Processor.Projection.Name, slot.Processor.Tenant);
    }
}
