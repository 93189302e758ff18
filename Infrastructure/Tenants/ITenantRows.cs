using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.Tenants;

/// <summary>
/// Rows kept per tenant outside the event store's partitions, which a tenant drop must erase too: every projection's
/// read model, and whatever else registers (messages a processor parked, say).
/// </summary>
public interface ITenantRows
{
    /// <summary>Deletes every row kept for the tenant, in the caller's transaction.</summary>
    Task ForgetTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken);
}
