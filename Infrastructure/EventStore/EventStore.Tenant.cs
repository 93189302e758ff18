using System.Runtime.CompilerServices;
using System.Text.Json;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Tenants;
using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>A tenant at a glance: its streams (of which archived), its messages, and when the last was written.</summary>
public sealed record TenantSummary(long Streams, long ArchivedStreams, long Messages, DateTimeOffset? LastMessageAt);

public sealed partial class EventStore
{
    /// <summary>What a tenant holds, archived streams included, on a connection of the caller's.</summary>
    public static async Task<TenantSummary> SummarizeTenantAsync(NpgsqlConnection connection, TenantTables tables, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT (SELECT count(*) FROM {tables.Streams}), (SELECT count(*) FROM {tables.ArchivedStreams}), count(*), max(created)
              FROM {tables.Messages}
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new TenantSummary(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
    }

    /// <summary>Every tenant with its summary, a look-up of its tables and one short statement per tenant.</summary>
    public async Task<IReadOnlyList<(TenantId Tenant, TenantSummary Summary)>> SummarizeTenantsAsync(
        IProgress<TenantProgress>? progress = null, CancellationToken ct = default)
    {
        var all = await tenants.ListAsync(ct);
        // NOTE: a connection of its own, outside the pool: each tenant's statement is used once, prepared for nothing.
        await using var connection = await database.Dedicated.OpenConnectionAsync(ct);
        var summaries = new List<(TenantId, TenantSummary)>(all.Count);
        foreach (var tenant in all)
        {
            // A tenant dropped since it was listed is left out.
            if (await TenantTables.ResolveAsync(connection, tenant, ct) is { } tables)
                summaries.Add((tenant, await SummarizeTenantAsync(connection, tables, ct)));
            progress?.Report(new TenantProgress("reading", summaries.Count, all.Count));
        }
        return summaries;
    }

    /// <summary>Every stream of a tenant, archived ones included, by id.</summary>
    public static async IAsyncEnumerable<TenantRecord.Stream> ReadTenantStreamsAsync(
        NpgsqlConnection connection, TenantTables tables, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT stream_id, stream_type, stream_position, stream_metadata::text, is_archived
              FROM {tables.Streams} ORDER BY stream_id, is_archived
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new TenantRecord.Stream(reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
                JsonElement.Parse(reader.GetString(3)), reader.GetBoolean(4));
    }

    /// <summary>Every message of a tenant, archived ones included, in commit order.</summary>
    public static async IAsyncEnumerable<TenantRecord.Message> ReadTenantMessagesAsync(
        NpgsqlConnection connection, TenantTables tables, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT stream_id, stream_position, global_position, transaction_id, message_id, message_type,
                   message_schema_version, message_kind, message_data::text, message_metadata::text, created, is_archived
              FROM {tables.Messages} ORDER BY transaction_id, global_position
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new TenantRecord.Message(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.GetFieldValue<ulong>(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                JsonElement.Parse(reader.GetString(8)), JsonElement.Parse(reader.GetString(9)),
                reader.GetFieldValue<DateTimeOffset>(10), reader.GetBoolean(11));
    }

    /// <summary>Stream rows into a tenant's own (staged) table of emt_streams.</summary>
    public static NpgsqlCommand InsertStreams(NpgsqlConnection connection, TenantTable table, TenantId tenant, IReadOnlyList<TenantRecord.Stream> streams)
    {
        var command = new NpgsqlCommand($"""
            INSERT INTO {Identifier(table)} (stream_id, stream_type, stream_position, stream_metadata, is_archived, partition)
            SELECT s.*, $6 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[], $5::bool[]) AS s
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams.Select(s => s.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams.Select(s => s.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = streams.Select(s => s.Position).ToArray() });
        command.Parameters.Add(Jsonb(streams.Select(s => s.Metadata)));
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = streams.Select(s => s.Archived).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        return command;
    }

    /// <summary>
    /// Messages into a tenant's own (staged) table of emt_messages, in the order given: new global positions in that
    /// order, and the inserting transaction's id, as an append gives them.
    /// </summary>
    public static NpgsqlCommand InsertMessages(NpgsqlConnection connection, TenantTable table, TenantId tenant, IReadOnlyList<TenantRecord.Message> messages)
    {
        var command = new NpgsqlCommand($"""
            INSERT INTO {Identifier(table)} (stream_id, stream_position, message_id, message_type, message_schema_version, message_kind,
                                             message_data, message_metadata, created, is_archived, partition, transaction_id)
            SELECT m.stream_id, m.stream_position, m.id, m.type, m.schema_version, m.kind, m.data, m.metadata, m.created, m.archived,
                   $11, pg_current_xact_id()
              FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[],
                          $9::timestamptz[], $10::bool[]) WITH ORDINALITY
                   AS m(stream_id, stream_position, id, type, schema_version, kind, data, metadata, created, archived, ordinal)
             ORDER BY m.ordinal
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = messages.Select(m => m.StreamId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = messages.Select(m => m.StreamPosition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = messages.Select(m => m.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = messages.Select(m => m.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = messages.Select(m => m.SchemaVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = messages.Select(m => m.Kind).ToArray() });
        command.Parameters.Add(Jsonb(messages.Select(m => m.Data)));
        command.Parameters.Add(Jsonb(messages.Select(m => m.Metadata)));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = messages.Select(m => m.Created.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = messages.Select(m => m.Archived).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        return command;
    }

    private static NpgsqlParameter<string[]> Jsonb(IEnumerable<JsonElement> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, TypedValue = values.Select(v => v.GetRawText()).ToArray() };

    private static string Identifier(TenantTable table) => "\"" + table.Name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
