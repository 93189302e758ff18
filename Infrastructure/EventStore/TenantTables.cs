using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// A tenant's own tables of the event store, by name (quoted): its partition of <c>emt_streams</c>, of
/// <c>emt_messages</c> (each with an active and an archived leaf) and of <c>emt_subscriptions</c>. Every statement
/// CartGraph sends names these instead of the partitioned parents.
/// </summary>
/// <remarks>
/// NOTE: a statement on a parent locks every partition its plan holds when it starts, and a plan made once for any
/// tenant (a generic plan, which spares the planning at each execution) holds them all: at 3 000 tenants a consumer's
/// read locked 6 006 relations and took 111 s to plan in a new connection (docs/scaling.md). A statement on a tenant's
/// own tables locks and plans those alone, whatever the tenant count, and an onboarding, which invalidates its parent's
/// plans in every session, leaves it alone.
/// </remarks>
public sealed record TenantTables(
    TenantId Tenant,
    string Streams,
    string ActiveStreams,
    string ArchivedStreams,
    string Messages,
    string ActiveMessages,
    string ArchivedMessages,
    string Subscriptions)
{
    /// <summary>The tenant's tables, or null when the tenant has none (not onboarded, or dropped).</summary>
    public static async Task<TenantTables?> ResolveAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT * FROM cartgraph_tenant_tables($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new TenantTables(tenant, reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6))
            : null;
    }

    /// <summary>
    /// A statement named a table that is gone: the tenant was dropped (by this process or another) since its tables were
    /// looked up. Look them up again.
    /// </summary>
    public static bool AreGone(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable };
}
