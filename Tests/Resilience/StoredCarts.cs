using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.ReadModels;
using Npgsql;

namespace CartGraph.Tests.Resilience;

/// <summary>One event of a cart's stream as stored, decoded.</summary>
public sealed record StoredEvent(long Position, CartEvent Event);

/// <summary>
/// One cart as the database holds it, read directly (not through the API under test): its events, their fold by the
/// decider, the read model's row and the projection's bookmark of the stream.
/// </summary>
public sealed record StoredCart(string CartId, IReadOnlyList<StoredEvent> Events, CartView? Row, long? Bookmark)
{
    public long LastPosition => Events.Count == 0 ? 0 : Events[^1].Position;

    public CartState Fold => Events.Aggregate(Cart.Decider.Initial, (state, e) => Cart.Evolve(state, e.Event));

    /// <summary>
    /// The row is the fold of every event, applied once each: its version and bookmark are the stream's last position
    /// and its lines are the fold's (an event applied twice would add its quantity twice).
    /// </summary>
    public bool Converged =>
        Row is { } row && row.Version == LastPosition && Bookmark == LastPosition && Describe(row.State) == Describe(Fold);

    public override string ToString() =>
        $"{CartId}: {Events.Count} event(s), last {LastPosition}, fold [{Describe(Fold)}]; "
        + $"row {(Row is { } row ? $"v{row.Version} [{Describe(row.State)}]" : "none")}; bookmark {Bookmark?.ToString() ?? "none"}";

    /// <summary>A cart's state as comparable text: status, currency and its lines by sku.</summary>
    public static string Describe(CartState state) => state switch
    {
        CartState.ActiveCart c => $"active {c.Currency} {Lines(c.Items)}",
        CartState.CheckedOutCart c => $"checked out {c.Currency} {Lines(c.Items)} {c.OrderId} {c.Total}",
        CartState.CancelledCart c => $"cancelled {c.Currency} {Lines(c.Items)} {c.Reason}",
        _ => "none",
    };

    private static string Lines(CartItems items) =>
        string.Join(", ", items.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal).Select(l => $"{l.Sku}x{l.Quantity}@{l.UnitPrice}"));
}

public static class StoredCarts
{
    /// <summary>Every cart stream of <paramref name="tenant"/>, by cart id.</summary>
    public static async Task<IReadOnlyDictionary<string, StoredCart>> OfTenantAsync(string connectionString, string tenant)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var events = await EventsAsync(connection, tenant);
        var rows = await CartsTable.LoadAsync(connection, TenantId.Parse(tenant), events.Keys, CancellationToken.None);
        var bookmarks = await BookmarksAsync(connection, tenant);
        return events.ToDictionary(
            e => e.Key,
            e => new StoredCart(e.Key, e.Value,
                rows.TryGetValue(e.Key, out var row) ? row : null,
                bookmarks.TryGetValue(e.Key, out var bookmark) ? bookmark : null));
    }

    /// <summary>Polls until every cart of the tenant has converged, or the time is up; returns the last reading.</summary>
    public static async Task<IReadOnlyDictionary<string, StoredCart>> ConvergedAsync(string connectionString, string tenant, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var carts = await OfTenantAsync(connectionString, tenant);
            if (carts.Values.All(c => c.Converged) || DateTime.UtcNow > deadline) return carts;
            await Task.Delay(100);
        }
    }

    private static async Task<Dictionary<string, List<StoredEvent>>> EventsAsync(NpgsqlConnection connection, string tenant)
    {
        await using var command = new NpgsqlCommand("""
            SELECT stream_id, stream_position, message_type, message_data::text, message_schema_version FROM emt_messages
             WHERE partition = $1 AND is_archived = FALSE ORDER BY stream_id, stream_position
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        await using var reader = await command.ExecuteReaderAsync();
        var streams = new Dictionary<string, List<StoredEvent>>();
        while (await reader.ReadAsync())
        {
            var (stream, type, data) = (reader.GetString(0), reader.GetString(2), reader.GetString(3));
            var decoded = CartEventJson.Deserialize(type, reader.GetString(4), data).Match(
                known => known.IfNone(() => throw new InvalidOperationException($"{stream}: unknown event {type}")),
                unreadable => throw new InvalidOperationException($"{stream}: {unreadable.Reason}"));
            (streams.TryGetValue(stream, out var list) ? list : streams[stream] = []).Add(new StoredEvent(reader.GetInt64(1), decoded));
        }
        return streams;
    }

    private static async Task<Dictionary<string, long>> BookmarksAsync(NpgsqlConnection connection, string tenant)
    {
        await using var command = new NpgsqlCommand("""
            SELECT substr(subscription_id, length($2) + 1), last_processed_position FROM emt_subscriptions
             WHERE partition = $1 AND starts_with(subscription_id, $2)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CartsProjection.ProjectionName + ":" });
        await using var reader = await command.ExecuteReaderAsync();
        var bookmarks = new Dictionary<string, long>();
        while (await reader.ReadAsync()) bookmarks[reader.GetString(0)] = reader.GetInt64(1);
        return bookmarks;
    }
}
