using CartGraph.Infrastructure.Database;
using Npgsql;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>What the migration specs compare before and after an upgrade, and their one-statement helpers.</summary>
internal static class EventStoreRows
{
    /// <summary>Every stream, message and checkpoint of the event store, one line each, through the parent tables.</summary>
    public static async Task<List<string>> AllAsync(PostgresDatabase postgres)
    {
        await using var command = postgres.Commands.CreateCommand("""
            SELECT concat_ws(' | ', 'stream', partition, stream_id, stream_position, is_archived, stream_type, stream_metadata) FROM emt_streams
            UNION ALL
            SELECT concat_ws(' | ', 'message', partition, stream_id, stream_position, is_archived, message_type, message_data,
                             message_metadata, message_id, global_position, transaction_id, created) FROM emt_messages
            UNION ALL
            SELECT concat_ws(' | ', 'checkpoint', partition, subscription_id, version, last_processed_position, last_processed_transaction_id)
              FROM emt_subscriptions
            ORDER BY 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    public static async Task ExecuteAsync(PostgresDatabase postgres, string sql, params object[] parameters) =>
        await ScalarAsync<object>(postgres, sql, parameters);

    public static async Task<T?> ScalarAsync<T>(PostgresDatabase postgres, string sql, params object[] parameters)
    {
        await using var command = postgres.Commands.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }
}
