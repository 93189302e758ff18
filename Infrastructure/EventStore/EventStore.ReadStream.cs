using CartGraph.Domain;
using CartGraph.Domain.Values;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

public sealed partial class EventStore
{
    /// <summary>A stream's messages from one position to another, in order. An archived stream reads as empty.</summary>
    public async Task<IReadOnlyList<RecordedMessage>> ReadStreamAsync(
        TenantId tenant,
        string streamId,
        long fromPosition = 1,
        long toPosition = long.MaxValue,
        int maxCount = int.MaxValue,
        CancellationToken cancellationToken = default) =>
        await WithTablesAsync<IReadOnlyList<RecordedMessage>>(tenant, [], async tables =>
        {
            await using var command = database.Commands.CreateCommand($"""
                SELECT {MessageColumns}
                  FROM {tables.ActiveMessages}
                 WHERE stream_id = $1 AND stream_position BETWEEN $2 AND $3
                 ORDER BY stream_position
                 LIMIT $4
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromPosition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toPosition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = maxCount });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var messages = new List<RecordedMessage>();
            while (await reader.ReadAsync(cancellationToken)) messages.Add(ReadMessage(reader));
            return messages;
        }, cancellationToken);

    /// <summary>
    /// Folds a stream through a decider as its rows arrive: the current state and the stream's position. Messages of types
    /// the codec does not know are skipped; a stream that does not exist is at position 0. A message of a known type that
    /// the codec cannot read leaves the state unknown: an <see cref="StreamError.UnreadableMessage"/>.
    /// </summary>
    public async Task<Either<StreamError, (TState State, long Version)>> AggregateStreamAsync<TCommand, TEvent, TState, TError>(
        TenantId tenant,
        string streamId,
        Decider<TCommand, TEvent, TState, TError> decider,
        EventCodec<TEvent> codec,
        CancellationToken cancellationToken = default) =>
        await WithTablesAsync<Either<StreamError, (TState, long)>>(tenant, (decider.Initial, 0L), async tables =>
        {
            await using var command = database.Commands.CreateCommand($"""
                SELECT stream_position, message_type, message_schema_version, message_data::text
                  FROM {tables.ActiveMessages}
                 WHERE stream_id = $1
                 ORDER BY stream_position
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await FoldAsync(reader, tenant, streamId, decider, codec, cancellationToken);
        }, cancellationToken);

    private async Task<Either<StreamError, (TState State, long Version)>> FoldAsync<TCommand, TEvent, TState, TError>(
        NpgsqlDataReader reader, TenantId tenant, string streamId, Decider<TCommand, TEvent, TState, TError> decider,
        EventCodec<TEvent> codec, CancellationToken cancellationToken)
    {
        var state = decider.Initial;
        var version = 0L;
        while (await reader.ReadAsync(cancellationToken))
        {
            version = reader.GetInt64(0);
            var type = reader.GetString(1);
            var read = codec.Deserialize(type, reader.GetString(2), reader.GetString(3));
            if (read.Case is UnreadableEvent unreadable)
            {
                logger.LogWarning("Stream {Stream} of tenant {Tenant} cannot be read at position {Position} ({Type}): {Reason}",
                    streamId, tenant, version, type, unreadable.Reason);
                return new StreamError.UnreadableMessage(streamId, version, type, unreadable.Reason);
            }
            if (read.Case is Option<TEvent> known && known.Case is TEvent @event) state = decider.Evolve(state, @event);
        }
        return (state, version);
    }

    /// <summary>The stream's position (its last message's), or 0 when it does not exist or is archived.</summary>
    public async Task<long> StreamPositionAsync(TenantId tenant, string streamId, CancellationToken cancellationToken = default) =>
        await WithTablesAsync(tenant, 0L, async tables =>
        {
            await using var command = database.Commands.CreateCommand($"SELECT stream_position FROM {tables.ActiveStreams} WHERE stream_id = $1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : 0;
        }, cancellationToken);

    /// <summary>Whether the stream exists and is not archived (a live stream holds at least one message).</summary>
    public async Task<bool> StreamExistsAsync(TenantId tenant, string streamId, CancellationToken cancellationToken = default) =>
        await StreamPositionAsync(tenant, streamId, cancellationToken) > 0;
}
