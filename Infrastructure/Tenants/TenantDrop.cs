using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.Tenants;

/// <summary>
/// Erases a tenant while the service runs: its partitions of every event store table are detached (so its cursors and
/// bookmarks go with emt_subscriptions') and dropped, and every <see cref="ITenantRows"/> forgets its rows. The event
/// store's share takes the same time whatever the tenant holds; each read model deletes its own rows.
/// </summary>
/// <remarks>
/// NOTE: statements name a tenant's tables (TenantTables), which a detach leaves in place: so they are dropped before the
/// rows are forgotten. Dropping a table waits for a processor's batch in flight that holds its cursor; a later batch no
/// longer finds the table and writes nothing, so no read-model row of the tenant is written after the forgetting. An
/// append to the tenant after the drop starts a new, empty tenant.
/// </remarks>
public sealed class TenantDrop(PostgresDatabase database, IEnumerable<ITenantRows> rows)
{
    private readonly IReadOnlyList<ITenantRows> rows = rows.ToList();

    public async Task<Either<TenantError, Unit>> DropAsync(TenantId tenant, CancellationToken ct = default)
    {
        await using var session = await database.Dedicated.OpenConnectionAsync(ct);
        if (!await TenantPartitions.TryHoldAsync(session, tenant, ct)) return new TenantError.TenantBusy(tenant);
        try
        {
            if (!await TenantPartitions.AnyAsync(session, tenant, ct)) return new TenantError.UnknownTenant(tenant);
            await TenantPartitions.DetachAsync(session, tenant, ct);
            await TenantPartitions.DropUnattachedAsync(session, tenant, ct);
            await using (var transaction = await session.BeginTransactionAsync(ct))
            {
                foreach (var store in rows) await store.ForgetTenantAsync(session, tenant, ct);
                await transaction.CommitAsync(ct);
            }
            return unit;
        }
        finally
        {
            await TenantPartitions.ReleaseAsync(session, tenant, CancellationToken.None);
        }
    }
}
