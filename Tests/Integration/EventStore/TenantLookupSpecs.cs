using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// A tenant's tables are found by their names, reading a few catalog rows whatever the tenant count, also under the
/// generic plans CartGraph's connections force (<c>plan_cache_mode=force_generic_plan</c>): onboarding looks them up
/// six times and its first append once more.
/// </summary>
public sealed class TenantLookupSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    // Rows of pg_class and pg_inherits a look-up may read: its candidate names, its bucket, its leaves. A plan that walks
    // the buckets' partitions reads 64 rows of pg_inherits before the first tenant's.
    private const long RowsPerLookup = 16;

    [Theory]
    [InlineData("SELECT cartgraph_partition_of('emt_messages', $1)")]
    [InlineData("SELECT cartgraph_bucket_of('emt_messages', $1)")]
    [InlineData("SELECT count(*) FROM cartgraph_tenant_tables($1)")]
    [InlineData("SELECT count(*) FROM cartgraph_unattached_partitions('emt_messages', $1)")]
    public async Task A_look_up_of_a_tenants_tables_reads_a_few_catalog_rows_under_a_generic_plan(string lookup)
    {
        var tenants = Enumerable.Range(0, 3).Select(_ => StoreDatabase.NewTenant()).ToArray();
        foreach (var tenant in tenants) await db.Tenants.ProvisionAsync(tenant);
        await using var connection = await db.Postgres.Commands.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var tenant in tenants) await Scalar(connection, lookup, tenant); // plans made, caches warm
        var before = await CatalogRowsRead(connection);
        foreach (var tenant in tenants) await Scalar(connection, lookup, tenant);
        var read = await CatalogRowsRead(connection) - before;
        Assert.True(read <= RowsPerLookup * tenants.Length, $"{read} rows of pg_class and pg_inherits read by {tenants.Length} look-ups");
    }

    private static async Task<long> CatalogRowsRead(NpgsqlConnection connection) =>
        (long)(await Scalar(connection, """
            SELECT sum(pg_stat_get_xact_tuples_returned(r) + pg_stat_get_xact_tuples_fetched(r))::bigint
              FROM unnest(ARRAY['pg_class'::regclass, 'pg_inherits'::regclass]::oid[]) r
            """))!; // not through pg_stat_xact_sys_tables, which reads pg_class itself

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, TenantId? tenant = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (tenant is not null) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        return await command.ExecuteScalarAsync();
    }
}
