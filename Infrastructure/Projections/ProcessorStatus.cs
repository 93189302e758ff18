using System.Collections.Concurrent;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Infrastructure.Projections;

/// <summary>Where one processor of this instance stands: for logs, health checks and metrics.</summary>
public sealed record ProcessorState(
    string Projection,
    string Tenant,
    ConsumerCursor Cursor,
    long LagEvents,
    TimeSpan LagTime,
    DateTimeOffset? LastBatchAt,
    string? LastError,
    int LastBatchSize = 0,
    TimeSpan LastBatchDuration = default,
    long Batches = 0,
    long Parked = 0);

/// <summary>The processors this instance runs, and how far behind each one is.</summary>
public sealed class ProcessorStatus
{
    private readonly ConcurrentDictionary<(string, string), ProcessorState> states = new();

    public IReadOnlyCollection<ProcessorState> Processors => states.Values.ToList();

    internal void Update(string projection, TenantId tenant, Func<ProcessorState, ProcessorState> change) =>
        states.AddOrUpdate((projection, tenant.Value),
            _ => change(new ProcessorState(projection, tenant.Value, ConsumerCursor.Start, 0, TimeSpan.Zero, null, null)),
            (_, state) => change(state));

    internal void Remove(string projection, TenantId tenant) => states.TryRemove((projection, tenant.Value), out _);
}
