using Npgsql;

namespace CartGraph.Tests.Api.Security;

/// <summary>
/// What the database holds, one line per row in a stable order, read directly (not through the API under test):
/// two snapshots are equal exactly when nothing was written in between.
/// </summary>
public static class StoredRows
{
    /// <summary>A tenant's streams, events (archived ones included) and read-model rows.</summary>
    public static Task<IReadOnlyList<string>> OfTenantAsync(string connectionString, string tenant) => ReadAsync(connectionString, """
        SELECT concat_ws(' | ', 'stream', stream_id, stream_position, is_archived, stream_type, stream_metadata) FROM emt_streams WHERE partition = $1
        UNION ALL
        SELECT concat_ws(' | ', 'message', stream_id, stream_position, is_archived, message_type, message_data, message_metadata, message_id, global_position)
          FROM emt_messages WHERE partition = $1
        UNION ALL
        SELECT concat_ws(' | ', 'cart', cart_id, status, currency, items_json, cancellation_reason, version, created_at, updated_at)
          FROM carts WHERE tenant_id = $1
        ORDER BY 1
        """, tenant);

    /// <summary>
    /// Every tenant's rows, the projection's checkpoints, the tenants' partitions and the global position sequence
    /// (an append that was rolled back still moves it). Not the sets of tables staged ahead of the tenants (migration
    /// 0014), which the API makes in the background, nobody's until an onboarding takes one and renames it.
    /// </summary>
    public static Task<IReadOnlyList<string>> OfDatabaseAsync(string connectionString) => ReadAsync(connectionString, """
        SELECT concat_ws(' | ', 'stream', partition, stream_id, stream_position, is_archived, stream_type, stream_metadata) FROM emt_streams
        UNION ALL
        SELECT concat_ws(' | ', 'message', partition, stream_id, stream_position, is_archived, message_type, message_data, message_metadata, message_id, global_position)
          FROM emt_messages
        UNION ALL
        SELECT concat_ws(' | ', 'cart', tenant_id, cart_id, status, currency, items_json, cancellation_reason, version, created_at, updated_at) FROM carts
        UNION ALL
        SELECT concat_ws(' | ', 'checkpoint', partition, subscription_id, version, last_processed_position, last_processed_transaction_id) FROM emt_subscriptions
        UNION ALL
        SELECT concat_ws(' | ', 'table', c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE NOT starts_with(c.relname, 'cartgraph_pool_')
        UNION ALL
        SELECT concat_ws(' | ', 'sequence', last_value, is_called) FROM emt_global_message_position
        ORDER BY 1
        """);

    private static async Task<IReadOnlyList<string>> ReadAsync(string connectionString, string sql, params string[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
