using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>The carts projection with its batches altered: how a spec makes a projection fail, or its session drop.</summary>
internal abstract class AlteredCartsProjection : IProjection
{
    public string Name => Carts.Projection.Name;
    public int Version => Carts.Projection.Version;

    public abstract Task<ProjectionWrites> ApplyAsync(
        NpgsqlConnection connection, TenantId tenant, IReadOnlyList<RecordedMessage> messages, CancellationToken ct);

    public Task ForgetAsync(NpgsqlConnection connection, TenantId tenant, string streamId, CancellationToken ct) =>
        Carts.Projection.ForgetAsync(connection, tenant, streamId, ct);

    public Task ResetAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct) =>
        Carts.Projection.ResetAsync(connection, tenant, ct);

    public Task ForgetTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct) =>
        Carts.Projection.ForgetTenantAsync(connection, tenant, ct);
}
