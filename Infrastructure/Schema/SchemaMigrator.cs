using CartGraph.Infrastructure.Database;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.Schema;

/// <summary>
/// Brings the database to the latest schema. Idempotent, and safe when several processes start at once:
/// they queue on one advisory lock, and each migration commits together with its record.
/// </summary>
public sealed class SchemaMigrator(PostgresDatabase database, ILogger<SchemaMigrator>? logger = null)
{
    // NOTE: an arbitrary constant shared by every CartGraph process; it only has to be unique per database.
    private const long MigrationLock = 0x43617274_47726170; // "CartGrap"

    // The tables staged ahead of their tenants (migration 0014) were made like the event store tables of their day: a
    // migration may change those, so each empties the pool in its transaction, and the pool is filled again after it.
    private const string EmptyPartitionPool = """
        DO $$ BEGIN
            IF to_regproc('cartgraph_empty_partition_pool') IS NOT NULL THEN PERFORM cartgraph_empty_partition_pool(); END IF;
        END $$
        """;

    private readonly ILogger logger = logger ?? NullLogger<SchemaMigrator>.Instance;

    public Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateToAsync(Migration.Latest, cancellationToken);

    /// <summary>Applies the pending migrations up to <paramref name="version"/> (a database of an earlier release, say).</summary>
    public async Task<IReadOnlyList<Migration>> MigrateToAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Dedicated.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "SELECT pg_advisory_lock($1)", cancellationToken, MigrationLock);
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS cartgraph_schema_migrations (
                    version    INT         PRIMARY KEY,
                    name       TEXT        NOT NULL,
                    checksum   TEXT        NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """, cancellationToken);
            var applied = await AppliedAsync(connection, cancellationToken);
            CheckUnchanged(applied);

            var pending = Migration.All.Where(m => !applied.ContainsKey(m.Version) && m.Version <= version).ToList();
            foreach (var migration in pending)
            {
                logger.LogInformation("Applying migration {Version} {Name}", migration.Version, migration.Name);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    await Execute(connection, migration.Sql, cancellationToken);
                }
                catch (PostgresException e)
                {
                    throw new MigrationFailedException(migration, e);
                }
                await Execute(connection, EmptyPartitionPool, cancellationToken);
                await Execute(connection,
                    "INSERT INTO cartgraph_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    cancellationToken, migration.Version, migration.Name, migration.Checksum);
                await transaction.CommitAsync(cancellationToken);
            }
            if (pending.Count == 0) logger.LogDebug("Schema is current at version {Version}", Migration.Latest);
            return pending;
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, MigrationLock);
        }
    }

    /// <summary>The latest applied version, or none when the schema was never created.</summary>
    public async Task<int?> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('cartgraph_schema_migrations') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true) return null;
        await using var latest = new NpgsqlCommand("SELECT max(version) FROM cartgraph_schema_migrations", connection);
        return await latest.ExecuteScalarAsync(cancellationToken) as int?;
    }

    private static void CheckUnchanged(Dictionary<int, string> applied)
    {
        foreach (var migration in Migration.All)
            if (applied.TryGetValue(migration.Version, out var checksum) && checksum != migration.Checksum)
                throw new InvalidOperationException(
                    $"Migration {migration.Version} ({migration.Name}) was changed after it was applied to this database; add a new migration instead.");
    }

    private static async Task<Dictionary<int, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM cartgraph_schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<int, string>();
        while (await reader.ReadAsync(cancellationToken)) applied[reader.GetInt32(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
