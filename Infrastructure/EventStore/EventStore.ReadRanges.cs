using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>Positions <paramref name="From"/> to <paramref name="To"/> (both included) of one stream.</summary>
public sealed record StreamRange(string StreamId, long From, long To);

public sealed partial class EventStore
{
    /// <summary>
    /// Ranges of several streams by stream position, on a connection the caller holds (e.g. inside its transaction):
    /// committed messages only, in stream order, stream after stream. Archived streams read as empty.
    /// </summary>
    /// <remarks>
    /// NOTE: no snapshot-xmin filter is needed. Every append moves its stream's row and holds that lock until it commits,
    /// so once a position is committed every position before it is too: a range that ends at a committed position has
    /// no hole, even where the consumers' read in commit order has not reached the lower positions yet.
    /// </remarks>
    public static async Task<IReadOnlyList<RecordedMessage>> ReadStreamRangesAsync(
        NpgsqlConnection connection, TenantTables tables, IReadOnlyCollection<StreamRange> ranges, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT {MessageColumns}
              FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS r(range_stream, from_position, to_position)
              JOIN {tables.ActiveMessages} m ON m.stream_id = r.range_stream AND m.stream_position BETWEEN r.from_position AND r.to_position
             ORDER BY m.stream_id, m.stream_position
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ranges.Select(r => r.StreamId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ranges.Select(r => r.From).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ranges.Select(r => r.To).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<RecordedMessage>();
        while (await reader.ReadAsync(cancellationToken)) messages.Add(ReadMessage(reader));
        return messages;
    }
}
