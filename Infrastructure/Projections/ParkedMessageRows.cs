using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Tenants;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>The messages every projection parked for a tenant, and the skips decided on them: erased with the tenant.</summary>
public sealed class ParkedMessageRows : ITenantRows
{
    public Task ForgetTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken) =>
        ParkedMessages.ForgetTenantAsync(connection, tenant, cancellationToken);
}
