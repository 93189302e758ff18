using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.ReadModels;

/// <summary>The one module that owns the <c>carts</c> table: rows in, rows out, nothing decided here.</summary>
public static class CartsTable
{
    private const string Columns =
        "cart_id, status, currency, items_json::text, cancellation_reason, version, created_at, updated_at";

    public static async Task<Dictionary<string, CartViewRow>> LoadAsync(
        NpgsqlConnection connection, TenantId tenant, IReadOnlyCollection<string> cartIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM carts WHERE tenant_id = $1 AND cart_id = ANY($2)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = cartIds.ToArray() });
        var rows = new Dictionary<string, CartViewRow>(cartIds.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = Read(reader);
            rows[row.CartId] = row;
        }
        return rows;
    }

    public static NpgsqlBatchCommand Upsert(TenantId tenant, IReadOnlyCollection<CartViewRow> rows)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO carts (tenant_id, cart_id, status, currency, items_json, cancellation_reason, version, created_at, updated_at)
            SELECT $1, r.* FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::bigint[],
                                       $8::timestamptz[], $9::timestamptz[]) AS r
            ON CONFLICT (tenant_id, cart_id) DO UPDATE
               SET status = excluded.status, currency = excluded.currency, items_json = excluded.items_json,
                   cancellation_reason = excluded.cancellation_reason, version = excluded.version,
                   updated_at = excluded.updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.CartId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Status).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Currency).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.ItemsJson).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = rows.Select(r => r.CancellationReason).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = rows.Select(r => r.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = rows.Select(r => r.CreatedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = rows.Select(r => r.UpdatedAt).ToArray() });
        return command;
    }

    public static async Task DeleteAsync(NpgsqlConnection connection, TenantId tenant, string cartId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM carts WHERE tenant_id = $1 AND cart_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cartId });
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task DeleteTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM carts WHERE tenant_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>How many carts each tenant has (tenants without one are absent).</summary>
    public static async Task<Dictionary<string, long>> CountByTenantAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT tenant_id, count(*) FROM carts GROUP BY tenant_id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    /// <summary>One cart, or null when the read model has none (yet).</summary>
    public static async Task<CartViewRow?> GetAsync(NpgsqlDataSource dataSource, TenantId tenant, string cartId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM carts WHERE tenant_id = $1 AND cart_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cartId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>
    /// A keyset page of a tenant's carts in cart id order: those after <paramref name="afterCartId"/>, of one
    /// status when given. Asks for one more than <paramref name="first"/> so the caller knows whether more follow.
    /// </summary>
    public static async Task<IReadOnlyList<CartViewRow>> PageAsync(
        NpgsqlDataSource dataSource, TenantId tenant, string? afterCartId, int first, string? status, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM carts
             WHERE tenant_id = $1 AND cart_id > $2 AND ($3::text IS NULL OR status = $3)
             ORDER BY cart_id
             LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = afterCartId ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = first + 1 });
        var rows = new List<CartViewRow>(first + 1);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add(Read(reader));
        return rows;
    }

    private static CartViewRow Read(NpgsqlDataReader reader) => new(
        CartId: reader.GetString(0),
        Status: reader.GetString(1),
        Currency: reader.GetString(2),
        ItemsJson: reader.GetString(3),
        CancellationReason: reader.IsDBNull(4) ? null : reader.GetString(4),
        Version: reader.GetInt64(5),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(6),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(7));
}
