using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>How many of a tenant's messages wait after a cursor, and how long the oldest has waited.</summary>
public sealed record Backlog(long Messages, TimeSpan Oldest)
{
    public static readonly Backlog None = new(0, TimeSpan.Zero);
}

public sealed partial class EventStore
{
    /// <summary>
    /// The messages after a cursor, counted up to <paramref name="limit"/>, whether a consumer may read them yet or not
    /// (read it with <see cref="ReadBacklogAsync"/>): what a consumer's lag is. A batch command, so that a consumer sends it
    /// with reads of its own in one round trip.
    /// </summary>
    public static NpgsqlBatchCommand BacklogAfter(TenantTables tables, ConsumerCursor after, int limit)
    {
        var command = new NpgsqlBatchCommand($"""
            SELECT count(*), coalesce(now() - min(created), interval '0')
              FROM (SELECT created FROM {tables.ActiveMessages}
                     WHERE (transaction_id, global_position) > ($1, $2)
                     LIMIT $3) waiting
            """);
        command.Parameters.Add(new NpgsqlParameter<ulong> { NpgsqlDbType = NpgsqlDbType.Xid8, TypedValue = after.TransactionId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.GlobalPosition });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return command;
    }

    public static async Task<Backlog> ReadBacklogAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        await reader.ReadAsync(ct);
        return new Backlog(reader.GetInt64(0), reader.GetTimeSpan(1));
    }

    /// <summary>How many messages of a tenant a consumer reads from the start (archived streams left out).</summary>
    public static async Task<long> CountMessagesAsync(NpgsqlConnection connection, TenantTables tables, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {tables.ActiveMessages}", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
