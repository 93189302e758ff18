using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>Writes as Emmett's Node client makes them: through its SQL functions, on a session of their own, announcing nothing.</summary>
internal static class EmmettWriter
{
    /// <summary>Tenants <c>prefix-first</c>…<c>prefix-last</c>, each with one cart, written through Emmett's functions in one statement.</summary>
    public static Task ProvisionWithACartEachAsync(StoreDatabase db, string prefix, int first, int last) => ExecuteAsync(db, $$"""
        DO $$
        BEGIN
            FOR i IN {{first}} .. {{last}} LOOP
                PERFORM emt_add_partition('{{prefix}}-' || i);
                PERFORM emt_append_to_stream(ARRAY['{{prefix}}-created-' || i], ARRAY['{"currency": "USD"}'::jsonb], ARRAY['{}'::jsonb],
                        ARRAY['1'], ARRAY['CartCreated'], ARRAY['E'], 'cart-1', 'cart', NULL, '{{prefix}}-' || i);
                COMMIT;
            END LOOP;
        END $$
        """);

    /// <summary>On a connection of its own, closed after: the session ends, and publishes its statistics as it does.</summary>
    public static async Task ExecuteAsync(StoreDatabase db, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }
}
