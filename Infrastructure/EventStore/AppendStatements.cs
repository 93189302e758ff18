using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// The SQL of an append: one statement, one round trip, one transaction. A compare-and-set of the stream row
/// feeds the insert of every message; only that stream step differs by expectation.
/// </summary>
/// <remarks>
/// NOTE: Emmett's emt_append_to_stream (migrations 0002, 0004) keeps the same rules for Emmett's Node client. Calling
/// it from here cost twice the server time of this statement (Benchmarks/README.md), so the two are held
/// together by a specification run against both. One message, the common case, is sent as plain values:
/// unnesting arrays cost a measurable share of an append.
/// Parameters: $1 message ids, $2 data, $3 metadata (one per message), $4 schema versions, $5 types, $6 kinds (values for one
/// message, arrays for several), $7 stream id, $8 stream type, $9 expected position, $10 partition, $11 count.
/// </remarks>
internal static class AppendStatements
{
    private const string Exact = """
        UPDATE emt_streams SET stream_position = stream_position + $11
         WHERE partition = $10 AND stream_id = $7 AND is_archived = FALSE AND stream_position = $9
        RETURNING stream_position
        """;

    private const string Existing = """
        UPDATE emt_streams SET stream_position = stream_position + $11
         WHERE partition = $10 AND stream_id = $7 AND is_archived = FALSE
        RETURNING stream_position
        """;

    private const string New = """
        INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata)
        SELECT $7, $11, $10, $8, '{}'
         WHERE NOT EXISTS (SELECT 1 FROM emt_streams WHERE partition = $10 AND stream_id = $7 AND is_archived = TRUE)
        ON CONFLICT (stream_id, partition, is_archived) DO NOTHING
        RETURNING stream_position
        """;

    private const string Any = """
        INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata)
        SELECT $7, $11, $10, $8, '{}'
         WHERE NOT EXISTS (SELECT 1 FROM emt_streams WHERE partition = $10 AND stream_id = $7 AND is_archived = TRUE)
        ON CONFLICT (stream_id, partition, is_archived)
            DO UPDATE SET stream_position = emt_streams.stream_position + $11
        RETURNING stream_position
        """;

    private const string OneMessage = "(VALUES ($1, $2, $3, $4, $5, $6, 1::bigint))";

    private const string Messages = "unnest($1, $2, $3, $4, $5, $6) WITH ORDINALITY";

    // NOTE: the insert itself returns what the caller needs, a row per message; a further CTE or a final
    // SELECT to shape them cost a fifth of an append's server time.
    private static string Statement(string streamStep, string messages) => $"""
        WITH stream AS (
        {streamStep}
        )
        INSERT INTO emt_messages (stream_id, stream_position, partition, message_data, message_metadata,
                                  message_schema_version, message_type, message_kind, message_id, transaction_id)
        SELECT $7, stream.stream_position - $11 + m.ordinal, $10, m.data, m.metadata,
               m.schema_version, m.message_type, m.kind, m.id, pg_current_xact_id()
          FROM stream, {messages} AS m(id, data, metadata, schema_version, message_type, kind, ordinal)
         ORDER BY m.ordinal
        RETURNING stream_position, global_position, transaction_id
        """;

    private static readonly Dictionary<(Type, bool), string> Statements = new()
    {
        [(typeof(ExpectedVersion.ExactPosition), true)] = Statement(Exact, OneMessage),
        [(typeof(ExpectedVersion.ExactPosition), false)] = Statement(Exact, Messages),
        [(typeof(ExpectedVersion.ExistingStream), true)] = Statement(Existing, OneMessage),
        [(typeof(ExpectedVersion.ExistingStream), false)] = Statement(Existing, Messages),
        [(typeof(ExpectedVersion.NoStreamYet), true)] = Statement(New, OneMessage),
        [(typeof(ExpectedVersion.NoStreamYet), false)] = Statement(New, Messages),
        [(typeof(ExpectedVersion.AnyVersion), true)] = Statement(Any, OneMessage),
        [(typeof(ExpectedVersion.AnyVersion), false)] = Statement(Any, Messages),
    };

    /// <summary>Where a stream is, to explain a refused append (a second round trip, on refusals only).</summary>
    public const string StreamState = """
        SELECT coalesce((SELECT stream_position FROM emt_streams
                          WHERE partition = $1 AND stream_id = $2 AND is_archived = FALSE), 0),
               EXISTS (SELECT 1 FROM emt_streams WHERE partition = $1 AND stream_id = $2 AND is_archived = TRUE)
        """;

    public static NpgsqlCommand Create(
        NpgsqlConnection connection, string partition, string streamId, string streamType,
        IReadOnlyList<NewMessage> messages, IReadOnlyList<string> metadata, ExpectedVersion expected)
    {
        var one = messages.Count == 1;
        var command = new NpgsqlCommand(Statements[(expected.GetType(), one)], connection);
        var parameters = command.Parameters;
        if (one)
        {
            var message = messages[0];
            parameters.Add(Text(message.MessageId ?? Guid.CreateVersion7().ToString()));
            parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = message.Data });
            parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = metadata[0] });
            parameters.Add(Text(message.SchemaVersion));
            parameters.Add(Text(message.Type));
            parameters.Add(Text("E"));
        }
        else
        {
            parameters.Add(Texts(messages.Select(m => m.MessageId ?? Guid.CreateVersion7().ToString())));
            parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, TypedValue = messages.Select(m => m.Data).ToArray() });
            parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, TypedValue = metadata.ToArray() });
            parameters.Add(Texts(messages.Select(m => m.SchemaVersion)));
            parameters.Add(Texts(messages.Select(m => m.Type)));
            parameters.Add(Texts(messages.Select(_ => "E")));
        }
        parameters.Add(Text(streamId));
        parameters.Add(Text(streamType));
        parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Bigint,
            Value = expected is ExpectedVersion.ExactPosition exact ? exact.Position : DBNull.Value,
        });
        parameters.Add(Text(partition));
        parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = messages.Count });
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value };

    private static NpgsqlParameter<string[]> Texts(IEnumerable<string> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = values.ToArray() };
}
