using CartGraph.Domain.Values;
using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Infrastructure.EventStore;

public sealed partial class EventStore
{
    /// <summary>
    /// A tenant's messages for consumers, in commit order after a cursor.
    /// </summary>
    /// <remarks>
    /// NOTE: only messages of transactions older than every transaction still running are returned
    /// (<c>transaction_id &lt; pg_snapshot_xmin(pg_current_snapshot())</c>). A message of a transaction that
    /// commits late therefore waits until it is visible, and a consumer never moves its cursor past it.
    /// Emmett 0.42 checkpoints on the global position alone and loses such messages under concurrent writers.
    /// </remarks>
    public async Task<IReadOnlyList<RecordedMessage>> ReadMessagesAsync(
        TenantId tenant,
        ConsumerCursor after,
        int maxCount,
        CancellationToken cancellationToken = default) =>
        await WithTablesAsync<IReadOnlyList<RecordedMessage>>(tenant, [], async tables =>
        {
            await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
            return await ReadMessagesAsync(connection, tables, after, maxCount, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// One stream's messages in the tenant's commit order after a cursor, with the consumers' visibility rule: what a
    /// subscriber that resumes from a cursor of the tenant's order reads of one stream.
    /// </summary>
    public async Task<IReadOnlyList<RecordedMessage>> ReadStreamMessagesAsync(
        TenantId tenant,
        string streamId,
        ConsumerCursor after,
        int maxCount,
        CancellationToken cancellationToken = default) =>
        await WithTablesAsync<IReadOnlyList<RecordedMessage>>(tenant, [], async tables =>
        {
            await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
            await using var command = ReadAfter(connection, tables, after, maxCount, "AND stream_id = $4");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            return await ReadAllAsync(command, cancellationToken);
        }, cancellationToken);

    /// <summary>The consumer read on a connection the caller holds, e.g. inside its own transaction.</summary>
    public static async Task<IReadOnlyList<RecordedMessage>> ReadMessagesAsync(
        NpgsqlConnection connection,
        TenantTables tables,
        ConsumerCursor after,
        int maxCount,
        CancellationToken cancellationToken = default)
    {
        await using var command = ReadAfter(connection, tables, after, maxCount, filter: "");
        return await ReadAllAsync(command, cancellationToken);
    }

    private static NpgsqlCommand ReadAfter(NpgsqlConnection connection, TenantTables tables, ConsumerCursor after, int maxCount, string filter)
    {
        var command = new NpgsqlCommand($"""
            SELECT {MessageColumns}
              FROM {tables.ActiveMessages}
             WHERE (transaction_id, global_position) > ($1, $2)
               AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
               {filter}
             ORDER BY transaction_id, global_position
             LIMIT $3
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<ulong> { NpgsqlDbType = NpgsqlDbType.Xid8, TypedValue = after.TransactionId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.GlobalPosition });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });
        return command;
    }

    private static async Task<IReadOnlyList<RecordedMessage>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<RecordedMessage>();
        while (await reader.ReadAsync(cancellationToken)) messages.Add(ReadMessage(reader));
        return messages;
    }
}
