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
/// NOTE: creating a partition locks the parent table, so a tenant's first append briefly holds up every
/// other tenant's reads. Provisioning is kept to one short transaction with a lock timeout, retried,
/// and serialized per tenant so concurrent first appends do not race on the same DDL.
/// </remarks>
public sealed class TenantPartitions(PostgresDatabase database, ILogger<TenantPartitions>? logger = null)
{
    private const int Attempts = 8;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(500);

    private readonly ILogger logger = logger ?? NullLogger<TenantPartitions>.Instance;

    /// <summary>Creates the tenant's partitions unless they exist. Idempotent and safe under concurrency.</summary>
    public async Task ProvisionAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var batch = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand($"SET LOCAL lock_timeout = '{(int)LockTimeout.TotalMilliseconds}ms'"),
                        new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext('cartgraph:partition:' || $1))")
                            { Parameters = { new() { Value = tenant.Value } } },
                        new NpgsqlBatchCommand("SELECT emt_add_partition($1)") { Parameters = { new() { Value = tenant.Value } } },
                    },
                };
                await batch.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Provisioned tenant {Tenant}", tenant);
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable && attempt < Attempts)
            {
                logger.LogDebug("Provisioning tenant {Tenant} waited too long for a lock; retrying", tenant);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt + Random.Shared.Next(50)), cancellationToken);
            }
        }
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
            SELECT replace(substring(pg_get_expr(c.relpartbound, c.oid) FROM $re$^FOR VALUES IN \('(.*)'\)$$re$), '''''', '''')
              FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'emt_messages'::regclass
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
