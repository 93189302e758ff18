using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// The one module that owns <c>emt_subscriptions</c>: a projection's cursor per tenant
/// (<c>subscription_id</c> = its name) and a bookmark per stream (<c>name:streamId</c>, the stream position
/// last applied), so that a redelivered message is recognised and skipped. Statements come as batch commands,
/// so that a processor sends several in one round trip, and name the tenant's own table (<see cref="TenantTables"/>).
/// </summary>
public static class SubscriptionCheckpoints
{
    /// <summary>
    /// Announces a moved cursor (payload: the tenant), e.g. another version served after a rebuild, so that the instance
    /// processing the tenant reads its version and cursor again at once, even when no new message arrives to make it look.
    /// </summary>
    public const string ResetChannel = "cartgraph_cursor_reset";

    public static string BookmarkId(IProjection projection, string streamId) => $"{projection.Name}:{streamId}";

    /// <summary>Creates the cursor row at the start, unless it exists.</summary>
    public static NpgsqlBatchCommand EnsureCursor(IProjection projection, TenantTables tables) => Keyed($"""
        INSERT INTO {tables.Subscriptions} (subscription_id, version, partition, last_processed_position, last_processed_transaction_id)
        VALUES ($1, $2, $3, 0, '0') ON CONFLICT DO NOTHING
        """, projection.Name, projection, tables);

    /// <summary>The cursor (read it with <see cref="ReadCursorAsync(NpgsqlDataReader, CancellationToken)"/>).</summary>
    public static NpgsqlBatchCommand Cursor(IProjection projection, TenantTables tables) => Keyed($"""
        SELECT last_processed_transaction_id, last_processed_position FROM {tables.Subscriptions}
         WHERE subscription_id = $1 AND version = $2 AND partition = $3
        """, projection.Name, projection, tables);

    /// <summary>The cursor, locked until the transaction ends: a concurrent reset, archive or second owner waits.</summary>
    public static NpgsqlBatchCommand LockCursor(IProjection projection, TenantTables tables) => Keyed($"""
        SELECT last_processed_transaction_id, last_processed_position FROM {tables.Subscriptions}
         WHERE subscription_id = $1 AND version = $2 AND partition = $3 FOR UPDATE
        """, projection.Name, projection, tables);

    public static NpgsqlBatchCommand StoreCursor(IProjection projection, TenantTables tables, ConsumerCursor cursor)
    {
        var command = Keyed($"""
            UPDATE {tables.Subscriptions} SET last_processed_position = $4, last_processed_transaction_id = $5
             WHERE subscription_id = $1 AND version = $2 AND partition = $3
            """, projection.Name, projection, tables);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cursor.GlobalPosition });
        command.Parameters.Add(new NpgsqlParameter<ulong> { NpgsqlDbType = NpgsqlDbType.Xid8, TypedValue = cursor.TransactionId });
        return command;
    }

    /// <summary>The bookmarks of some streams (read them with <see cref="ReadBookmarksAsync"/>).</summary>
    public static NpgsqlBatchCommand Bookmarks(IProjection projection, TenantTables tables, IReadOnlyCollection<string> streamIds)
    {
        var command = new NpgsqlBatchCommand($"""
            SELECT subscription_id, last_processed_position FROM {tables.Subscriptions}
             WHERE partition = $1 AND version = $2 AND subscription_id = ANY($3)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tables.Tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streamIds.Select(id => BookmarkId(projection, id)).ToArray() });
        return command;
    }

    /// <summary>Moves each stream's bookmark to the last message applied to it.</summary>
    public static NpgsqlBatchCommand StoreBookmarks(IProjection projection, TenantTables tables, IReadOnlyCollection<RecordedMessage> lastPerStream)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {tables.Subscriptions} (subscription_id, version, partition, last_processed_position, last_processed_transaction_id)
            SELECT id, $2, $1, position, tx FROM unnest($3::text[], $4::bigint[], $5::xid8[]) AS b(id, position, tx)
            ON CONFLICT (subscription_id, partition, version) DO UPDATE
               SET last_processed_position = excluded.last_processed_position,
                   last_processed_transaction_id = excluded.last_processed_transaction_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tables.Tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = lastPerStream.Select(m => BookmarkId(projection, m.StreamId)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = lastPerStream.Select(m => m.StreamPosition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<ulong[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Xid8, TypedValue = lastPerStream.Select(m => m.TransactionId).ToArray() });
        return command;
    }

    public static NpgsqlBatchCommand DeleteBookmark(IProjection projection, TenantTables tables, string streamId) =>
        Keyed($"DELETE FROM {tables.Subscriptions} WHERE subscription_id = $1 AND version = $2 AND partition = $3",
            BookmarkId(projection, streamId), projection, tables);

    /// <summary>Every bookmark of the projection for the tenant.</summary>
    public static NpgsqlBatchCommand DeleteBookmarks(IProjection projection, TenantTables tables)
    {
        var command = new NpgsqlBatchCommand(
            $"DELETE FROM {tables.Subscriptions} WHERE partition = $1 AND version = $2 AND starts_with(subscription_id, $3)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tables.Tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name + ":" });
        return command;
    }

    /// <summary>The cursor and every bookmark of the projection's version for the tenant: a version built again, or no longer served.</summary>
    public static NpgsqlBatchCommand DeleteVersion(IProjection projection, TenantTables tables)
    {
        var command = Keyed($"""
            DELETE FROM {tables.Subscriptions}
             WHERE partition = $3 AND version = $2 AND (subscription_id = $1 OR starts_with(subscription_id, $1 || ':'))
            """, projection.Name, projection, tables);
        return command;
    }

    public static async Task<ConsumerCursor?> ReadCursorAsync(NpgsqlDataReader reader, CancellationToken ct) =>
        await reader.ReadAsync(ct) ? new ConsumerCursor(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : null;

    /// <summary>The stream position last applied, per stream that has a bookmark.</summary>
    public static async Task<Dictionary<string, long>> ReadBookmarksAsync(NpgsqlDataReader reader, IProjection projection, CancellationToken ct)
    {
        var prefix = projection.Name.Length + 1;
        var bookmarks = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct)) bookmarks[reader.GetString(0)[prefix..]] = reader.GetInt64(1);
        return bookmarks;
    }

    /// <summary>The stored cursor, creating it at the start when there is none yet.</summary>
    public static async Task<ConsumerCursor> EnsureAndReadCursorAsync(NpgsqlConnection connection, IProjection projection, TenantTables tables, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { EnsureCursor(projection, tables), Cursor(projection, tables) } };
        // NOTE: Npgsql's reader starts at the first statement that returns rows; the insert has none.
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await ReadCursorAsync(reader, ct) ?? ConsumerCursor.Start;
    }

    /// <summary>Locks the cursor for the caller's transaction, e.g. so that no batch interleaves with an archive.</summary>
    public static async Task LockAsync(NpgsqlConnection connection, IProjection projection, TenantTables tables, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { EnsureCursor(projection, tables), LockCursor(projection, tables) } };
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand Keyed(string sql, string subscriptionId, IProjection projection, TenantTables tables)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriptionId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tables.Tenant.Value });
        return command;
    }
}
