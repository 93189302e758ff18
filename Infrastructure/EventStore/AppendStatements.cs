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
/// unnesting arrays cost a measurable share of an append. It names the tenant's own tables (<see cref="TenantTables"/>):
/// at any tenant count it locks and plans those alone, so it stays planned once per connection (a generic plan).
/// Parameters: $1 message ids, $2 data, $3 metadata (one per message), $4 schema versions, $5 types, $6 kinds (values for one
/// message, arrays for several), $7 stream id, $8 stream type, $9 expected position, $10 partition, $11 count.
/// </remarks>
internal static class AppendStatements
{
    private static string Exact(TenantTables t) => $"""
        UPDATE {t.ActiveStreams} SET stream_position = stream_position + $11
         WHERE stream_id = $7 AND stream_position = $9
        RETURNING stream_position
        """;

    private static string Existing(TenantTables t) => $"""
        UPDATE {t.ActiveStreams} SET stream_position = stream_position + $11
         WHERE stream_id = $7
        RETURNING stream_position
        """;

    private static string New(TenantTables t) => $$"""
        INSERT INTO {{t.ActiveStreams}} (stream_id, stream_position, partition, stream_type, stream_metadata)
        SELECT $7, $11, $10, $8, '{}'
         WHERE NOT EXISTS (SELECT 1 FROM {{t.ArchivedStreams}} WHERE stream_id = $7)
        ON CONFLICT (stream_id, partition, is_archived) DO NOTHING
        RETURNING stream_position
        """;

    private static string Any(TenantTables t) => $$"""
        INSERT INTO {{t.ActiveStreams}} AS s (stream_id, stream_position, partition, stream_type, stream_metadata)
        SELECT $7, $11, $10, $8, '{}'
         WHERE NOT EXISTS (SELECT 1 FROM {{t.ArchivedStreams}} WHERE stream_id = $7)
        ON CONFLICT (stream_id, partition, is_archived)
            DO UPDATE SET stream_position = s.stream_position + $11
        RETURNING stream_position
        """;

    private const string OneMessage = "(VALUES ($1, $2, $3, $4, $5, $6, 1::bigint))";

    private const string Messages = "unnest($1, $2, $3, $4, $5, $6) WITH ORDINALITY";

    // NOTE: the insert itself returns what the caller needs, a row per message; a further CTE or a final
    // SELECT to shape them cost a fifth of an append's server time.
    private static string Statement(TenantTables t, ExpectedVersion expected, bool one)
    {
        var streamStep = expected switch
        {
            ExpectedVersion.ExactPosition => Exact(t),
            ExpectedVersion.ExistingStream => Existing(t),
            ExpectedVersion.NoStreamYet => New(t),
            _ => Any(t),
        };
        return $"""
            WITH stream AS (
            {streamStep}
            )
            INSERT INTO {t.ActiveMessages} (stream_id, stream_position, partition, message_data, message_metadata,
                                            message_schema_version, message_type, message_kind, message_id, transaction_id)
            SELECT $7, stream.stream_position - $11 + m.ordinal, $10, m.data, m.metadata,
                   m.schema_version, m.message_type, m.kind, m.id, pg_current_xact_id()
              FROM stream, {(one ? OneMessage : Messages)} AS m(id, data, metadata, schema_version, message_type, kind, ordinal)
             ORDER BY m.ordinal
            RETURNING stream_position, global_position, transaction_id
            """;
    }

    /// <summary>Where a stream is, to explain a refused append (a second round trip, on refusals only).</summary>
    public static string StreamState(TenantTables t) => $"""
        SELECT coalesce((SELECT stream_position FROM {t.ActiveStreams} WHERE stream_id = $1), 0),
               EXISTS (SELECT 1 FROM {t.ArchivedStreams} WHERE stream_id = $1)
        """;

    /// <summary>Where messages of a stream went, by id, archived or not: $1 stream id, $2 message ids.</summary>
    public static string MessagesById(TenantTables t) => $"""
        SELECT stream_position, global_position, transaction_id
          FROM {t.Messages}
         WHERE stream_id = $1 AND message_id = ANY($2)
         ORDER BY stream_position
        """;

    public static NpgsqlCommand Create(
        NpgsqlConnection connection, TenantTables tables, string streamId, string streamType,
        IReadOnlyList<NewMessage> messages, IReadOnlyList<string> metadata, ExpectedVersion expected)
    {
        var one = messages.Count == 1;
        var command = new NpgsqlCommand(Statement(tables, expected, one), connection);
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
        parameters.Add(Text(tables.Tenant.Value));
        parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = messages.Count });
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value };

    private static NpgsqlParameter<string[]> Texts(IEnumerable<string> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = values.ToArray() };
}
