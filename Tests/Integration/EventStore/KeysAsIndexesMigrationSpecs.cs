using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Schema;
using Npgsql;
using static CartGraph.Tests.Integration.EventStore.Messages;

using static CartGraph.Tests.Integration.EventStore.EventStoreRows;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// A database of an earlier release (keys as primary key constraints, repeated on every tenant's tables) upgrades by
/// migration 0016: each key becomes a unique index, no tenant keeps a constraint row, every row stays and every key is
/// still enforced. A migration PostgreSQL refuses says which one and why, and changes nothing.
/// </summary>
public sealed class KeysAsIndexesMigrationSpecs(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int BeforeKeysAsIndexes = 15;

    [Fact]
    public async Task Tenants_keep_every_row_and_key_without_a_constraint_row_and_a_refused_attempt_first_changes_nothing()
    {
        await using var postgres = PostgresDatabase.Create(database.ConnectionString);
        await new SchemaMigrator(postgres).MigrateToAsync(BeforeKeysAsIndexes);
        var store = new Infrastructure.EventStore.EventStore(postgres, new TenantPartitions(postgres));
        var tenants = Enumerable.Range(0, 3).Select(_ => StoreDatabase.NewTenant()).ToArray();
        foreach (var (tenant, i) in tenants.Select((t, i) => (t, i)))
            await store.AppendAsync(tenant, "a", "thing", Events(i + 1), ExpectedVersion.NoStream);
        await ExecuteAsync(postgres, "INSERT INTO emt_subscriptions VALUES ('cursor', 1, $1, 7, '42')", tenants[1].Value);
        var rows = await AllAsync(postgres);
        Assert.Equal(3 * 7, await TenantConstraintsAsync(postgres, tenants));

        // Refused: another session holds a table the migration alters, and the migrator's session waits 200 ms at most.
        await using (var holder = await postgres.Dedicated.OpenConnectionAsync())
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand("LOCK TABLE emt_subscriptions IN ACCESS SHARE MODE", holder, transaction))
                await hold.ExecuteNonQueryAsync();
            await using var impatient = PostgresDatabase.Create(
                new NpgsqlConnectionStringBuilder(database.ConnectionString) { Options = "-c lock_timeout=200ms" }.ConnectionString);
            var refused = await Assert.ThrowsAsync<MigrationFailedException>(() => new SchemaMigrator(impatient).MigrateAsync());
            Assert.Equal(16, refused.Migration.Version);
            Assert.StartsWith("Migration 0016 keys_as_unique_indexes failed and was not applied: canceling statement due to lock timeout",
                refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(BeforeKeysAsIndexes, await new SchemaMigrator(postgres).CurrentVersionAsync());
        Assert.Equal(3 * 7, await TenantConstraintsAsync(postgres, tenants));
        Assert.False(await ScalarAsync<bool>(postgres, "SELECT to_regclass('idx_messages_unique') IS NOT NULL"));

        await new SchemaMigrator(postgres).MigrateAsync();

        Assert.Equal(0, await TenantConstraintsAsync(postgres, tenants));
        Assert.Equal(rows, await AllAsync(postgres));
        await using var connection = await postgres.Commands.OpenConnectionAsync();
        var leaf = (await TenantTables.ResolveAsync(connection, tenants[2], CancellationToken.None))!.ActiveMessages;
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(postgres,
            $"INSERT INTO {leaf} SELECT * FROM {leaf} WHERE stream_position = 1"));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        var checkpoint = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(postgres,
            "INSERT INTO emt_subscriptions VALUES ('cursor', 1, $1, 8, '43')", tenants[1].Value));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, checkpoint.SqlState);
        Assert.True((await store.AppendAsync(tenants[2], "a", "thing", Events(1), ExpectedVersion.Exactly(3))).IsRight);
        Assert.True((await store.AppendAsync(tenants[2], "a", "thing", Events(1), ExpectedVersion.Exactly(3))).IsLeft);
        var newcomer = StoreDatabase.NewTenant();
        Assert.True((await store.AppendAsync(newcomer, "a", "thing", Events(2), ExpectedVersion.NoStream)).IsRight);
        Assert.Equal(0, await TenantConstraintsAsync(postgres, [newcomer]));
    }

    /// <summary>Rows of pg_constraint on the tenants' tables (7 per tenant before 0016: its keys, on each table and leaf).</summary>
    private static async Task<long> TenantConstraintsAsync(PostgresDatabase postgres, TenantId[] tenants) =>
        await ScalarAsync<long>(postgres, """
            SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
             WHERE EXISTS (SELECT FROM unnest($1::text[]) t WHERE c.relname LIKE '%' || t || '%')
            """, (object)tenants.Select(t => t.Value).ToArray());
}
