using System.Buffers;
using System.Text;
using System.Text.Json;
using CartGraph.Domain.Values;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.EventStore;

public sealed partial class EventStore
{
    // NOTE: one statement, one round trip, one transaction per append: a compare-and-set of the stream row
    // whose result feeds the insert of every message. Only the stream step differs by expectation; every
    // variant takes the same ten parameters, their types declared by the client. Emmett's
    // emt_append_to_stream (migration 0002) has the same semantics; calling it from here cost twice the
    // server time of this statement (see Benchmarks/README.md), so the two are held together by one
    // specification run against both instead.
    private const string StreamStepExact = """
        UPDATE emt_streams SET stream_position = stream_position + cardinality($2::jsonb[])
         WHERE partition = $10 AND stream_id = $7 AND is_archived = FALSE AND stream_position = $9
        RETURNING stream_position
        """;

    private const string StreamStepExisting = """
        UPDATE emt_streams SET stream_position = stream_position + cardinality($2::jsonb[])
         WHERE partition = $10 AND stream_id = $7 AND is_archived = FALSE
        RETURNING stream_position
        """;

    private const string StreamStepNew = """
        INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata)
        SELECT $7, cardinality($2::jsonb[]), $10, $8, '{}'
         WHERE NOT EXISTS (SELECT 1 FROM emt_streams WHERE partition = $10 AND stream_id = $7 AND is_archived = TRUE)
        ON CONFLICT (stream_id, partition, is_archived) DO NOTHING
        RETURNING stream_position
        """;

    private const string StreamStepAny = """
        INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata)
        SELECT $7, cardinality($2::jsonb[]), $10, $8, '{}'
         WHERE NOT EXISTS (SELECT 1 FROM emt_streams WHERE partition = $10 AND stream_id = $7 AND is_archived = TRUE)
        ON CONFLICT (stream_id, partition, is_archived)
            DO UPDATE SET stream_position = emt_streams.stream_position + cardinality($2::jsonb[])
        RETURNING stream_position
        """;

    private static string AppendSql(string streamStep) => $"""
        WITH stream AS (
        {streamStep}
        ), inserted AS (
            INSERT INTO emt_messages (stream_id, stream_position, partition, message_data, message_metadata,
                                      message_schema_version, message_type, message_kind, message_id, transaction_id)
            SELECT $7, stream.stream_position - cardinality($2::jsonb[]) + m.ordinal, $10, m.data, m.metadata,
                   m.schema_version, m.message_type, m.kind, m.id, pg_current_xact_id()
              FROM stream, unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::text[], $5::text[], $6::text[])
                           WITH ORDINALITY AS m(id, data, metadata, schema_version, message_type, kind, ordinal)
             ORDER BY m.ordinal
            RETURNING global_position
        )
        SELECT stream.stream_position, (SELECT array_agg(global_position ORDER BY global_position) FROM inserted),
               pg_current_xact_id()
          FROM stream
        """;

    private static readonly string AppendExactSql = AppendSql(StreamStepExact);
    private static readonly string AppendExistingSql = AppendSql(StreamStepExisting);
    private static readonly string AppendNewSql = AppendSql(StreamStepNew);
    private static readonly string AppendAnySql = AppendSql(StreamStepAny);

    /// <summary>Where a stream is, for explaining a refused append.</summary>
    private const string StreamStateSql = """
        SELECT coalesce((SELECT stream_position FROM emt_streams
                          WHERE partition = $1 AND stream_id = $2 AND is_archived = FALSE), 0),
               EXISTS (SELECT 1 FROM emt_streams WHERE partition = $1 AND stream_id = $2 AND is_archived = TRUE)
        """;

    /// <summary>
    /// Appends messages to a stream in one transaction, if the stream is where <paramref name="expected"/> says.
    /// A tenant seen for the first time is provisioned first.
    /// </summary>
    public async Task<Either<StreamError, AppendResult>> AppendAsync(
        TenantId tenant,
        string streamId,
        string streamType,
        IReadOnlyList<NewMessage> messages,
        ExpectedVersion expected,
        MessageContext? context = null,
        CancellationToken cancellationToken = default)
    {
        if (Validate(streamId, streamType, messages).Case is string problem)
            return Left<StreamError, AppendResult>(new StreamError.InvalidAppend(problem));

        var metadata = MetadataJson(context ?? MessageContext.None);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await AppendOnceAsync(tenant, streamId, streamType, messages, expected, metadata, cancellationToken);
                if (result.IsRight) Appended?.Invoke(tenant);
                return result;
            }
            catch (PostgresException e) when (IsMissingPartition(e) && attempt == 1)
            {
                await tenants.ProvisionAsync(tenant, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SerializationFailure && attempt < 3)
            {
                // The stream row moved to the archived partition under us; the next attempt sees it there.
                logger.LogDebug("Append to {Stream} raced an archive; retrying", streamId);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidTextRepresentation
                                                  or "22032")
            {
                return Left<StreamError, AppendResult>(new StreamError.InvalidAppend(DescribeInvalidJson(messages)));
            }
        }
    }

    private async Task<Either<StreamError, AppendResult>> AppendOnceAsync(
        TenantId tenant, string streamId, string streamType, IReadOnlyList<NewMessage> messages,
        ExpectedVersion expected, string metadata, CancellationToken cancellationToken)
    {
        var count = messages.Count;
        var ids = new string[count];
        var data = new string[count];
        var metadatas = new string[count];
        var versions = new string[count];
        var types = new string[count];
        var kinds = new string[count];
        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            ids[i] = message.MessageId ?? Guid.CreateVersion7().ToString();
            data[i] = message.Data;
            metadatas[i] = metadata;
            versions[i] = message.SchemaVersion;
            types[i] = message.Type;
            kinds[i] = "E";
        }

        var sql = expected switch
        {
            ExpectedVersion.ExactPosition => AppendExactSql,
            ExpectedVersion.ExistingStream => AppendExistingSql,
            ExpectedVersion.NoStreamYet => AppendNewSql,
            _ => AppendAnySql,
        };
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = ids });
            command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, TypedValue = data });
            command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, TypedValue = metadatas });
            command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = versions });
            command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
            command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = kinds });
            command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = streamId });
            command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = streamType });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = ExpectedPosition(expected) });
            command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = tenant.Value });

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                return new AppendResult(
                    NextStreamPosition: reader.GetInt64(0),
                    GlobalPositions: reader.GetFieldValue<long[]>(1),
                    TransactionId: reader.GetFieldValue<ulong>(2));
        }

        await using var state = new NpgsqlCommand(StreamStateSql, connection);
        state.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        state.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        await using var stateReader = await state.ExecuteReaderAsync(cancellationToken);
        await stateReader.ReadAsync(cancellationToken);
        return stateReader.GetBoolean(1)
            ? new StreamError.StreamArchived(streamId)
            : new StreamError.WrongExpectedVersion(streamId, expected, stateReader.GetInt64(0));
    }

    private static object ExpectedPosition(ExpectedVersion expected) => expected switch
    {
        ExpectedVersion.ExactPosition exact => exact.Position,
        _ => DBNull.Value,
    };

    private static Option<string> Validate(string streamId, string streamType, IReadOnlyList<NewMessage> messages) =>
        StreamIds.Problem(streamId)
        | (string.IsNullOrWhiteSpace(streamType) ? Some("A stream type must not be empty.") : None)
        | (messages.Count == 0 ? Some("An append needs at least one message.") : None)
        | messages.Select((m, i) => string.IsNullOrWhiteSpace(m.Type) ? Some($"Message {i} has no type.") : None)
            .FirstOrDefault(p => p.IsSome);

    private static bool IsMissingPartition(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.CheckViolation && e.MessageText.StartsWith("no partition of relation", StringComparison.Ordinal);

    private static string DescribeInvalidJson(IReadOnlyList<NewMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                using var _ = JsonDocument.Parse(messages[i].Data);
            }
            catch (JsonException)
            {
                return $"Message {i} ({messages[i].Type}) has data that is not valid JSON.";
            }
        }
        return "A message's data is not valid JSON.";
    }

    private static string MetadataJson(MessageContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (context.CorrelationId is { } correlationId) writer.WriteString("correlationId", correlationId);
            if (context.CausationId is { } causationId) writer.WriteString("causationId", causationId);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
