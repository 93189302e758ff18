using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// A tenant is a partition of every event store table. Provisioning creates them, once per tenant.
/// </summary>
/// <remarks>
/// NOTE: provisioning is online (migration 0005): each table is made on its own, then attached with a lock on the
/// parent that no read or write waits for, so a tenant's first append holds no other tenant up, and it waits, without
/// a timeout, only for another tenant's onboarding or drop. <c>emt_add_partition</c> serializes per tenant itself.
/// </remarks>
public sealed partial class TenantPartitions(PostgresDatabase database, ILogger<TenantPartitions>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<TenantPartitions>.Instance;

    /// <summary>Creates the tenant's partitions unless they exist. Idempotent and safe under concurrency.</summary>
    public async Task ProvisionAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        await using var command = database.Commands.CreateCommand("SELECT emt_add_partition($1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
        logger.LogInformation("Provisioned tenant {Tenant}", tenant);
    }

    /// <summary>Whether the tenant's partitions exist.</summary>
    public async Task<bool> ExistsAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        await using var command = database.Commands.CreateCommand(
            "SELECT cartgraph_partition_of('emt_messages', $1) IS NOT NULL");
        command.Parameters.Add(new() { Value = tenant.Value });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Every provisioned tenant. Partitions whose value is not a tenant id (Emmett's 'emt:default') are left out.</summary>
    public async Task<IReadOnlyList<TenantId>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.Commands.CreateCommand("""
            SELECT replace(substring(pg_get_expr(c.relpartbound, 0) FROM $re$^FOR VALUES IN \('(.*)'\)$$re$), '''''', '''')
              FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'emt_messages'::regclass AND NOT i.inhdetachpending
             ORDER BY 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tenants = new List<TenantId>();
        while (await reader.ReadAsync(cancellationToken))
            if (!reader.IsDBNull(0))
                TenantId.Create(reader.GetString(0)).IfSuccess(tenants.Add);
        return tenants;
    }
}
