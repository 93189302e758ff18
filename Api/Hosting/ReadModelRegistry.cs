using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Infrastructure.Tenants;

namespace CartGraph.Api.Hosting;

/// <summary>The read models this service keeps: registered by the server, replayed by <c>rebuild</c>, erased by <c>tenant drop</c>.</summary>
public static class ReadModelRegistry
{
    public static IReadOnlyList<IProjection> Projections { get; } = [new CartsProjection()];

    /// <summary>Everything that keeps rows per tenant outside the event store's partitions: what a tenant drop erases.</summary>
    public static IReadOnlyList<ITenantRows> TenantRows => [.. Projections, new ParkedMessageRows(), new RejectedCommandRows()];
}
