using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.Tenants;

/// <summary>The keyed commands remembered as rejected on the tenant's streams: erased with the tenant.</summary>
public sealed class RejectedCommandRows : ITenantRows
{
    public Task ForgetTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken) =>
        EventStore.EventStore.ForgetRejectionsAsync(connection, tenant, cancellationToken);
}
