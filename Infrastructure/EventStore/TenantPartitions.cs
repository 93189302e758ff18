using System.Collections.Concurrent;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// A tenant is a partition of every event store table. Provisioning creates them, once per
/// tenant; statements name them (<see cref="TenantTables"/>), looked up once per tenant and kept.
/// </summary>
/// <remarks>
/// NOTE: provisioning is online (migration 0005): each table is made on its own, then attached with a lock on the
/// parent that no read or write waits for, so a tenant's first append holds no other tenant up, and it waits, without
/// a timeout, only for another tenant's onboarding or drop. <c>emt_add_partition</c> serializes per tenant itself.
/// </remarks>
public sealed partial class TenantPartitions(PostgresDatabase database, ILogger<TenantPartitions>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<TenantPartitions>.Instance;
    private readonly ConcurrentDictionary<TenantId, TenantTables> known = new();

    /// <summary>Creates the tenant's partitions unless they exist, and returns them. Idempotent and safe under concurrency.</summary>
    public async Task<TenantTables> ProvisionAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT emt_add_partition($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        logger.LogInformation("Provisioned tenant {Tenant}", tenant);
        return known[tenant] = await TenantTables.ResolveAsync(connection, tenant, cancellationToken)
                               ?? throw new InvalidOperationException($"Tenant {tenant} has no tables right after it was provisioned.");
    }

    /// <summary>The tenant's tables, as last looked up; null when it has none (it was never written to, or was dropped).</summary>
    public async Task<TenantTables?> TablesAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        if (known.TryGetValue(tenant, out var tables)) return tables;
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        tables = await TenantTables.ResolveAsync(connection, tenant, cancellationToken);
        if (tables is not null) known[tenant] = tables;
        return tables;
    }

    /// <summary>The tenant's tables are gone (<see cref="TenantTables.AreGone"/>): the next use looks them up again.</summary>
    public void Forget(TenantId tenant) => known.TryRemove(tenant, out _);

    /// <summary>Whether the tenant's partitions exist.</summary>
    public async Task<bool> ExistsAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        Forget(tenant);
        return await TablesAsync(tenant, cancellationToken) is not null;
    }

    /// <summary>Every provisioned tenant. Partitions whose value is not a tenant id (Emmett's 'emt:default') are left out.</summary>
    public async Task<IReadOnlyList<TenantId>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.Commands.CreateCommand($"""
            SELECT {PartitionBounds.ValueOfC}
              FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'emt_messages'::regclass) AND NOT i.inhdetachpending
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
