using Npgsql;

namespace CartGraph.Tests.Api;

/// <summary>
/// Another writer of the shared database, appending through Emmett's <c>emt_append_to_stream</c> with no expected
/// position: what it stores is not checked by CartGraph's codec, so it can store a cart event that is not its shape.
/// </summary>
public static class ForeignWriter
{
    /// <summary>A known type whose data is not its shape.</summary>
    public const string MalformedItem = """{"item": {"sku": "X", "name": "X", "quantity": "lots", "unitPrice": 1}}""";

    /// <summary>One message, stored under <paramref name="schemaVersion"/> as that writer's version of the event.</summary>
    public static async Task AppendAsync(string connectionString, string tenant, string cartId, string type, string json, string schemaVersion = "1")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var append = new NpgsqlCommand("""
            SELECT success FROM emt_append_to_stream(ARRAY[gen_random_uuid()::text], ARRAY[$3::jsonb], ARRAY['{}'::jsonb],
                   ARRAY[$5], ARRAY[$4], ARRAY['E'], $1, 'cart', NULL, $2)
            """, connection);
        append.Parameters.Add(new NpgsqlParameter { Value = cartId });
        append.Parameters.Add(new NpgsqlParameter { Value = tenant });
        append.Parameters.Add(new NpgsqlParameter { Value = json });
        append.Parameters.Add(new NpgsqlParameter { Value = type });
        append.Parameters.Add(new NpgsqlParameter { Value = schemaVersion });
        Assert.Equal(true, await append.ExecuteScalarAsync());
    }

    public static Task AppendMalformedItemAsync(string connectionString, string tenant, string cartId) =>
        AppendAsync(connectionString, tenant, cartId, "ItemAddedToCart", MalformedItem);
}
