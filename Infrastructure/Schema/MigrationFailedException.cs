using Npgsql;

namespace CartGraph.Infrastructure.Schema;

/// <summary>
/// A migration PostgreSQL refused; its transaction rolled back, so nothing of it was applied. The message says which
/// migration, what PostgreSQL said and its hint (a setting to raise, say), for an operator rather than a stack trace.
/// </summary>
public sealed class MigrationFailedException(Migration migration, PostgresException cause)
    : Exception($"Migration {migration.Version:0000} {migration.Name} failed and was not applied: {cause.MessageText}"
                + (cause.Hint is { Length: > 0 } hint ? $". {hint}" : ""), cause)
{
    public Migration Migration { get; } = migration;
}
