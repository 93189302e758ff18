using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// A keyed command that appended no event, as the store keeps it: its input fingerprint, and the error's text when the
/// decider rejected it, or, when it was accepted with nothing to change, the stream's version then.
/// </summary>
public sealed record RejectedCommand(string Key, string Fingerprint, string? Error, long Version);

/// <summary>What a stream holds of some idempotency keys: the first events of accepted commands, and rejections.</summary>
public sealed record KeyedRecords(IReadOnlyList<RecordedMessage> Messages, IReadOnlyList<RejectedCommand> Rejections)
{
    public static readonly KeyedRecords None = new([], []);
}

public sealed partial class EventStore
{
    /// <summary>
    /// In one round trip: the stream's messages with these ids, archived or not, in stream order, and the keyed commands
    /// remembered for these keys as having appended nothing (see <see cref="RememberRejectionsAsync"/>).
    /// </summary>
    public async Task<KeyedRecords> ReadKeyedAsync(
        TenantId tenant, string streamId, IReadOnlyCollection<string> messageIds, IReadOnlyCollection<string> keys,
        CancellationToken cancellationToken = default) =>
        messageIds.Count == 0 && keys.Count == 0 ? KeyedRecords.None : await WithTablesAsync(tenant, KeyedRecords.None, async tables =>
        {
            await using var batch = database.Commands.CreateBatch();
            batch.BatchCommands.Add(Command($"""
                SELECT {MessageColumns}
                  FROM {tables.Messages}
                 WHERE stream_id = $1 AND message_id = ANY($2)
                 ORDER BY stream_position
                """, streamId, messageIds.ToArray()));
            batch.BatchCommands.Add(Command("""
                SELECT idempotency_key, fingerprint, error, version
                  FROM cartgraph_rejected_commands
                 WHERE tenant_id = $1 AND stream_id = $2 AND idempotency_key = ANY($3)
                """, tenant.Value, streamId, keys.ToArray()));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var messages = new List<RecordedMessage>();
            while (await reader.ReadAsync(cancellationToken)) messages.Add(ReadMessage(reader));
            await reader.NextResultAsync(cancellationToken);
            var rejections = new List<RejectedCommand>();
            while (await reader.ReadAsync(cancellationToken))
                rejections.Add(new RejectedCommand(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3)));
            return new KeyedRecords(messages, rejections);
        }, cancellationToken);

    /// <summary>
    /// Remembers keyed commands that appended nothing on a stream (rejected, or accepted with nothing to change); a key the stream already holds a rejection for keeps
    /// its first one. Written before the senders are answered, so a repeat after the answer finds it.
    /// </summary>
    public async Task RememberRejectionsAsync(
        TenantId tenant, string streamId, IReadOnlyCollection<RejectedCommand> rejections, CancellationToken cancellationToken = default)
    {
        if (rejections.Count == 0) return;
        await using var command = database.Commands.CreateCommand("""
            INSERT INTO cartgraph_rejected_commands (tenant_id, stream_id, idempotency_key, fingerprint, error, version)
            SELECT $1, $2, r.key, r.fingerprint, r.error, r.version
              FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[]) AS r(key, fingerprint, error, version)
            ON CONFLICT (tenant_id, stream_id, idempotency_key) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rejections.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rejections.Select(r => r.Fingerprint).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = rejections.Select(r => r.Error).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = rejections.Select(r => r.Version).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every rejection remembered for the tenant, in the caller's transaction: the tenant is erased.</summary>
    public static async Task ForgetRejectionsAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM cartgraph_rejected_commands WHERE tenant_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
