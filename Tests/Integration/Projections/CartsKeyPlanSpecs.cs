using System.Text.Json;
using CartGraph.Infrastructure.ReadModels;
using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// The carts read model is read by key however little PostgreSQL knows of a tenant's rows. A version being built, and a
/// tenant new since the last ANALYZE, have no statistics; the statements must still look carts up by their keys and
/// pages by their index, not scan the tenant's rows (counted in buffers touched, not timed).
/// </summary>
public sealed class CartsKeyPlanSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private const int Rows = 5_000;

    /// <summary>Far under a pass over the tenant's <see cref="Rows"/> rows (150 buffers and more), over a few index descents.</summary>
    private const int ByKeyBuffers = 40;

    private static readonly string[] SomeCarts = ["cart-00007", "cart-02500", "cart-04999"];

    private async Task<string> TenantWithRowsAsync(params int[] versions)
    {
        var tenant = StoreDatabase.NewTenant().Value;
        await ExecuteAsync("ALTER TABLE carts SET (autovacuum_enabled = false)");
        foreach (var version in versions) await WriteRowsAsync(tenant, version);
        return tenant;
    }

    private Task WriteRowsAsync(string tenant, int version) => ExecuteAsync($"""
        INSERT INTO carts (tenant_id, cart_id, status, currency, items_json, version, created_at, updated_at,
                           item_count, total, projection_version)
        SELECT $1, 'cart-' || lpad(g::text, 5, '0'), 'active', 'USD', '[]', 1, now(), now() - g * interval '1 second', 0, g, {version}
          FROM generate_series(0, {Rows - 1}) g
        """, tenant);

    [Fact]
    public async Task A_processor_loads_carts_of_a_version_nothing_is_known_of_by_their_keys()
    {
        var tenant = await TenantWithRowsAsync(3);

        var buffers = await BuffersAsync(CartsTable.LoadVersionSql, tenant, SomeCarts, 3);

        Assert.True(buffers < ByKeyBuffers, $"loading 3 carts of {Rows} touched {buffers} buffers");
    }

    [Fact]
    public async Task A_rebuild_loads_carts_of_the_version_it_builds_by_their_keys_after_the_served_one_was_analyzed()
    {
        var tenant = await TenantWithRowsAsync(3);
        await ExecuteAsync("ANALYZE carts");
        await WriteRowsAsync(tenant, 4);

        var buffers = await BuffersAsync(CartsTable.LoadVersionSql, tenant, SomeCarts, 4);

        Assert.True(buffers < ByKeyBuffers, $"loading 3 carts of {Rows} of the version being built touched {buffers} buffers");
    }

    [Fact]
    public async Task Queries_load_carts_of_the_served_version_by_their_keys()
    {
        var tenant = await TenantWithRowsAsync(5);
        await ExecuteAsync(
            "INSERT INTO cartgraph_projection_versions (projection, tenant_id, served_version) VALUES ($1, $2, 5)",
            CartsProjection.ProjectionName, tenant);

        var buffers = await BuffersAsync(CartsTable.LoadServedSql, tenant, SomeCarts);

        Assert.True(buffers < ByKeyBuffers, $"loading 3 served carts of {Rows} touched {buffers} buffers");
    }

    [Theory]
    [InlineData(CartOrder.CartId)]
    [InlineData(CartOrder.UpdatedAtDesc)]
    [InlineData(CartOrder.TotalDesc)]
    public async Task A_page_of_the_served_version_reads_its_index_in_order(CartOrder order)
    {
        var tenant = await TenantWithRowsAsync(5);
        await ExecuteAsync(
            "INSERT INTO cartgraph_projection_versions (projection, tenant_id, served_version) VALUES ($1, $2, 5)",
            CartsProjection.ProjectionName, tenant);

        var buffers = await BuffersAsync(CartPages.PageSql(order), tenant, "", DBNull.Value, 11, DBNull.Value, DBNull.Value);

        Assert.True(buffers < ByKeyBuffers, $"a page of 10 of {Rows} carts in {order} touched {buffers} buffers");
    }

    private Task ExecuteAsync(string sql, params object[] parameters) => db.ScalarAsync<object>(sql, parameters);

    /// <summary>Buffers the statement touches when run with these parameters, as <c>EXPLAIN (ANALYZE, BUFFERS)</c> counts them.</summary>
    private async Task<long> BuffersAsync(string sql, params object[] parameters)
    {
        await using var command = db.Postgres.Commands.CreateCommand($"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}");
        foreach (var (value, index) in parameters.Select((v, i) => (v, i)))
            command.Parameters.Add(value is DBNull
                ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NullType(sql, index) }
                : new NpgsqlParameter { Value = value });
        var json = (string)(await command.ExecuteScalarAsync())!;
        var plan = JsonDocument.Parse(json).RootElement[0].GetProperty("Plan");
        return plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();
    }

    /// <summary>The type of a page's null parameter: <c>$3</c> a status, <c>$5</c> a time, <c>$6</c> a total.</summary>
    private static NpgsqlTypes.NpgsqlDbType NullType(string sql, int index) => index switch
    {
        2 => NpgsqlTypes.NpgsqlDbType.Text,
        4 => NpgsqlTypes.NpgsqlDbType.TimestampTz,
        5 => NpgsqlTypes.NpgsqlDbType.Numeric,
        _ => throw new ArgumentException($"no null expected at ${index + 1} of {sql}"),
    };
}
