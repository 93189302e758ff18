using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Projections;
using Npgsql;

namespace CartGraph.Infrastructure.ReadModels;

/// <summary>
/// The one module that owns the <c>carts</c> table: views in, views out, nothing decided here. How a view is stored is
/// <see cref="CartRows"/>.
/// </summary>
/// <remarks>
/// Rows of each projection version are apart (<c>projection_version</c>): the projection writes its own version, queries
/// read the version served (<see cref="ProjectionVersions"/>), looked up in the same statement, so that a switch shows
/// every query either the old rows or the new ones, never neither.
/// </remarks>
public static class CartsTable
{
    internal const string Columns =
        "cart_id, status, currency, items_json::text, cancellation_reason, version, created_at, updated_at";

    private static readonly string ServedVersion =
        ProjectionVersions.ServedSql(CartsProjection.ProjectionName, CartsProjection.DeclaredVersion);

    /// <summary>
    /// Rows of one version, compared as an expression rather than an index key (<c>+ 0</c>), for look-ups by cart id:
    /// PostgreSQL has no statistics for a version being built, estimates a tenant's rows of it at one, and given the
    /// version as a key would scan all of them instead of looking the carts up by id (migration 0011,
    /// <c>CartsKeyPlanSpecs</c>). A tenant has one version but during a rebuild, so filtering the other costs little.
    /// </summary>
    private static string VersionIs(string version) => $"projection_version + 0 = {version}";

    /// <summary>The rows a page reads: the tenant's (<c>$1</c>) of the served version, the version a key of its index.</summary>
    internal static readonly string Served = $"tenant_id = $1 AND projection_version = {ServedVersion}";

    /// <summary>The rows a look-up by cart id reads: the tenant's (<c>$1</c>) of the served version, found by id.</summary>
    private static readonly string ServedById = $"tenant_id = $1 AND {VersionIs(ServedVersion)}";

    /// <summary>Some carts (<c>$2</c>) of the version served.</summary>
    internal static readonly string LoadServedSql = $"SELECT {Columns} FROM carts WHERE {ServedById} AND cart_id = ANY($2)";

    /// <summary>Some carts (<c>$2</c>) of one version (<c>$3</c>).</summary>
    internal static readonly string LoadVersionSql =
        $"SELECT {Columns} FROM carts WHERE tenant_id = $1 AND cart_id = ANY($2) AND {VersionIs("$3")}";

    /// <summary>Some carts of the version served.</summary>
    public static async Task<Dictionary<string, CartView>> LoadAsync(
        NpgsqlConnection connection, TenantId tenant, IReadOnlyCollection<string> cartIds, CancellationToken ct) =>
        await LoadAsync(connection, tenant, version: null, cartIds, ct);

    /// <summary>Some carts of one version (served when null).</summary>
    public static async Task<Dictionary<string, CartView>> LoadAsync(
        NpgsqlConnection connection, TenantId tenant, int? version, IReadOnlyCollection<string> cartIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(version is null ? LoadServedSql : LoadVersionSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = cartIds.ToArray() });
        if (version is { } wanted) command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = wanted });
        var views = new Dictionary<string, CartView>(cartIds.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var view = Read(reader, tenant);
            views[view.CartId] = view;
        }
        return views;
    }

    public static NpgsqlBatchCommand Upsert(TenantId tenant, int projectionVersion, IReadOnlyCollection<CartView> views)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO carts (tenant_id, cart_id, status, currency, items_json, cancellation_reason, version, created_at, updated_at,
                               item_count, total, projection_version)
            SELECT $1, r.*, $12 FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::bigint[],
                                            $8::timestamptz[], $9::timestamptz[], $10::int[], $11::numeric[]) AS r
            ON CONFLICT (tenant_id, projection_version, cart_id) DO UPDATE
               SET status = excluded.status, currency = excluded.currency, items_json = excluded.items_json,
                   cancellation_reason = excluded.cancellation_reason, version = excluded.version,
                   updated_at = excluded.updated_at, item_count = excluded.item_count, total = excluded.total
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = views.Select(v => v.CartId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = views.Select(v => CartRows.StatusName(v.Status)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = views.Select(v => v.Currency).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = views.Select(CartRows.ItemsJson).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = views.Select(CartRows.CancellationReason).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = views.Select(v => v.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>
        {
            TypedValue = views.Select(v => CartRows.Recorded(v, v.CreatedAt, "created_at")).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>
        {
            TypedValue = views.Select(v => CartRows.Recorded(v, v.UpdatedAt, "updated_at")).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = views.Select(CartRows.ItemCount).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<decimal[]> { TypedValue = views.Select(v => v.Total).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projectionVersion });
        return command;
    }

    public static async Task DeleteAsync(NpgsqlConnection connection, TenantId tenant, string cartId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM carts WHERE tenant_id = $1 AND cart_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cartId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A version's rows of a tenant: before it is built again, or once another is served.</summary>
    public static async Task DeleteVersionAsync(NpgsqlConnection connection, TenantId tenant, int projectionVersion, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM carts WHERE tenant_id = $1 AND projection_version = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projectionVersion });
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
        await using var command = dataSource.CreateCommand("""
            SELECT c.tenant_id, count(*) FROM carts c
              LEFT JOIN cartgraph_projection_versions v ON v.projection = $1 AND v.tenant_id = c.tenant_id
             WHERE c.projection_version = coalesce(v.served_version, $2)
             GROUP BY c.tenant_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CartsProjection.ProjectionName });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CartsProjection.DeclaredVersion });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    /// <summary>One cart, or null when the read model has none (yet).</summary>
    public static async Task<CartView?> GetAsync(NpgsqlDataSource dataSource, TenantId tenant, string cartId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM carts WHERE {ServedById} AND cart_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cartId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader, tenant) : null;
    }

    internal static CartView Read(NpgsqlDataReader reader, TenantId tenant) => CartRows.View(
        tenant,
        cartId: reader.GetString(0),
        status: reader.GetString(1),
        currency: reader.GetString(2),
        itemsJson: reader.GetString(3),
        cancellationReason: reader.IsDBNull(4) ? null : reader.GetString(4),
        version: reader.GetInt64(5),
        createdAt: reader.GetFieldValue<DateTimeOffset>(6),
        updatedAt: reader.GetFieldValue<DateTimeOffset>(7));
}
