using CartGraph.Domain;
using CartGraph.Domain.Values;
using LanguageExt;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

public sealed partial class EventStore
{
    /// <summary>
    /// A stream's messages with these ids, archived or not, in stream order: what an earlier append with the same ids
    /// left (idempotent commands look their keys up here).
    /// </summary>
    public async Task<IReadOnlyList<RecordedMessage>> ReadMessagesByIdAsync(
        TenantId tenant, string streamId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default) =>
        messageIds.Count == 0 ? [] : await WithTablesAsync<IReadOnlyList<RecordedMessage>>(tenant, [], async tables =>
        {
            await using var command = database.Commands.CreateCommand($"""
                SELECT {MessageColumns}
                  FROM {tables.Messages}
                 WHERE stream_id = $1 AND message_id = ANY($2)
                 ORDER BY stream_position
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = messageIds.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var messages = new List<RecordedMessage>();
            while (await reader.ReadAsync(cancellationToken)) messages.Add(ReadMessage(reader));
            return messages;
        }, cancellationToken);

    /// <summary>
    /// Folds a stream, archived or not, up to a position (inclusive) or up to a time (messages created at or before it):
    /// the state it had then and its version (0 when it did not exist yet). See <see cref="AggregateStreamAsync{TCommand,TEvent,TState,TError}"/>.
    /// </summary>
    public async Task<Either<StreamError, (TState State, long Version)>> AggregateStreamAsOfAsync<TCommand, TEvent, TState, TError>(
        TenantId tenant,
        string streamId,
        Decider<TCommand, TEvent, TState, TError> decider,
        EventCodec<TEvent> codec,
        long toPosition = long.MaxValue,
        DateTimeOffset? asOf = null,
        CancellationToken cancellationToken = default) =>
        await WithTablesAsync<Either<StreamError, (TState, long)>>(tenant, (decider.Initial, 0L), async tables =>
        {
            await using var command = database.Commands.CreateCommand($"""
                SELECT stream_position, message_type, message_schema_version, message_data::text
                  FROM {tables.Messages}
                 WHERE stream_id = $1 AND stream_position <= $2{(asOf is null ? "" : " AND created <= $3")}
                 ORDER BY stream_position
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toPosition });
            if (asOf is { } time) command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.ToUniversalTime() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await FoldAsync(reader, tenant, streamId, decider, codec, cancellationToken);
        }, cancellationToken);
}
