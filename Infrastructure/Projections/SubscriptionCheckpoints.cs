using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// The one module that owns <c>emt_subscriptions</c>: a projection's cursor per tenant
/// (<c>subscription_id</c> = its name) and a bookmark per stream (<c>name:streamId</c>, the stream position
/// last applied), so that a redelivered message is recognised and skipped.
/// </summary>
public static class SubscriptionCheckpoints
{
    public static string BookmarkId(IProjection projection, string streamId) => $"{projection.Name}:{streamId}";

    /// <summary>Creates the cursor row at the start, unless it exists.</summary>
    public static async Task EnsureCursorAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO emt_subscriptions (subscription_id, version, partition, last_processed_position, last_processed_transaction_id)
            VALUES ($1, $2, $3, 0, '0') ON CONFLICT DO NOTHING
            """, connection);
        AddKey(command, projection.Name, projection, tenant);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<ConsumerCursor> ReadCursorAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken ct) =>
        await CursorAsync(connection, projection, tenant, forUpdate: false, ct) ?? ConsumerCursor.Start;

    /// <summary>The cursor, locked until the transaction ends: a concurrent reset or second owner waits.</summary>
    public static Task<ConsumerCursor?> LockCursorAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken ct) =>
        CursorAsync(connection, projection, tenant, forUpdate: true, ct);

    public static async Task StoreCursorAsync(
        NpgsqlConnection connection, IProjection projection, TenantId tenant, ConsumerCursor cursor, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE emt_subscriptions SET last_processed_position = $4, last_processed_transaction_id = $5
             WHERE subscription_id = $1 AND version = $2 AND partition = $3
            """, connection);
        AddKey(command, projection.Name, projection, tenant);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cursor.GlobalPosition });
        command.Parameters.Add(new NpgsqlParameter<ulong> { NpgsqlDbType = NpgsqlDbType.Xid8, TypedValue = cursor.TransactionId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The stream position last applied, per stream that has a bookmark.</summary>
    public static async Task<Dictionary<string, long>> LoadBookmarksAsync(
        NpgsqlConnection connection, IProjection projection, TenantId tenant, IReadOnlyCollection<string> streamIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT subscription_id, last_processed_position FROM emt_subscriptions
             WHERE partition = $1 AND version = $2 AND subscription_id = ANY($3)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streamIds.Select(id => BookmarkId(projection, id)).ToArray() });
        var prefix = projection.Name.Length + 1;
        var bookmarks = new Dictionary<string, long>(streamIds.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) bookmarks[reader.GetString(0)[prefix..]] = reader.GetInt64(1);
        return bookmarks;
    }

    /// <summary>Moves each stream's bookmark to the last message applied to it.</summary>
    public static async Task StoreBookmarksAsync(
        NpgsqlConnection connection, IProjection projection, TenantId tenant, IReadOnlyCollection<RecordedMessage> lastPerStream, CancellationToken ct)
    {
        if (lastPerStream.Count == 0) return;
        await using var command = new NpgsqlCommand("""
            INSERT INTO emt_subscriptions (subscription_id, version, partition, last_processed_position, last_processed_transaction_id)
            SELECT id, $2, $1, position, tx FROM unnest($3::text[], $4::bigint[], $5::xid8[]) AS b(id, position, tx)
            ON CONFLICT (subscription_id, partition, version) DO UPDATE
               SET last_processed_position = excluded.last_processed_position,
                   last_processed_transaction_id = excluded.last_processed_transaction_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = lastPerStream.Select(m => BookmarkId(projection, m.StreamId)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = lastPerStream.Select(m => m.StreamPosition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<ulong[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Xid8, TypedValue = lastPerStream.Select(m => m.TransactionId).ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task DeleteBookmarkAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, string streamId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "DELETE FROM emt_subscriptions WHERE subscription_id = $1 AND version = $2 AND partition = $3", connection);
        AddKey(command, BookmarkId(projection, streamId), projection, tenant);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Back to the start: the cursor at the beginning (waiting for a batch in flight) and no bookmark left.</summary>
    public static async Task ResetAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken ct)
    {
        await EnsureCursorAsync(connection, projection, tenant, ct);
        await LockCursorAsync(connection, projection, tenant, ct);
        await StoreCursorAsync(connection, projection, tenant, ConsumerCursor.Start, ct);
        await using var command = new NpgsqlCommand("""
            DELETE FROM emt_subscriptions WHERE partition = $1 AND version = $2 AND starts_with(subscription_id, $3)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name + ":" });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<ConsumerCursor?> CursorAsync(
        NpgsqlConnection connection, IProjection projection, TenantId tenant, bool forUpdate, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT last_processed_transaction_id, last_processed_position FROM emt_subscriptions
             WHERE subscription_id = $1 AND version = $2 AND partition = $3 {(forUpdate ? "FOR UPDATE" : "")}
            """, connection);
        AddKey(command, projection.Name, projection, tenant);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ConsumerCursor(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : null;
    }

    private static void AddKey(NpgsqlCommand command, string subscriptionId, IProjection projection, TenantId tenant)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriptionId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
    }
}
