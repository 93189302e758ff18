using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// The one module that owns <c>cartgraph_projection_versions</c>: which version of a projection each tenant is served
/// (queries read it in the same statement as the rows, processors before each batch). A tenant without a row is served the
/// version its projection declares; its first processor writes that row. A switch updates the row in one transaction, so
/// every instance serves the new version from the same commit on.
/// </summary>
public static class ProjectionVersions
{
    /// <summary>The served version, for a query: <c>$1</c> is the tenant, <c>$projection</c> and <c>$declared</c> given.</summary>
    public static string ServedSql(string projection, int declared) =>
        $"coalesce((SELECT served_version FROM cartgraph_projection_versions WHERE projection = '{projection}' AND tenant_id = $1), {declared})";

    /// <summary>The version a tenant is served.</summary>
    public static async Task<int> ServedAsync(NpgsqlDataSource dataSource, IProjection projection, TenantId tenant, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT served_version FROM cartgraph_projection_versions WHERE projection = $1 AND tenant_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        return await command.ExecuteScalarAsync(ct) is int served ? served : projection.Version;
    }

    /// <summary>The served version, writing the declared one first when the tenant has none yet.</summary>
    public static async Task<int> EnsureServedAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            WITH inserted AS (
                INSERT INTO cartgraph_projection_versions (projection, tenant_id, served_version) VALUES ($1, $2, $3)
                ON CONFLICT DO NOTHING RETURNING served_version)
            SELECT served_version FROM inserted
            UNION ALL SELECT served_version FROM cartgraph_projection_versions WHERE projection = $1 AND tenant_id = $2
            LIMIT 1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The served version, locked for share until the transaction ends (a batch command; read it as a scalar): a batch of
    /// the served version commits before a switch, and one after it sees the new version.
    /// </summary>
    public static NpgsqlBatchCommand ShareServed(IProjection projection, TenantId tenant) => Keyed(
        "SELECT served_version FROM cartgraph_projection_versions WHERE projection = $1 AND tenant_id = $2 FOR SHARE", projection, tenant);

    /// <summary>The served version, locked until the transaction ends: no batch of it commits meanwhile.</summary>
    public static async Task<int> LockServedAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { Keyed(
            "SELECT served_version FROM cartgraph_projection_versions WHERE projection = $1 AND tenant_id = $2 FOR UPDATE", projection, tenant) } };
        return (int)(await batch.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Serves another version, in the caller's transaction.</summary>
    public static NpgsqlBatchCommand Serve(IProjection projection, TenantId tenant, int version)
    {
        var command = Keyed("""
            UPDATE cartgraph_projection_versions SET served_version = $3, switched_at = now()
             WHERE projection = $1 AND tenant_id = $2
            """, projection, tenant);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        return command;
    }

    /// <summary>Forgets a tenant's rows, whatever the projection (the tenant is erased).</summary>
    public static async Task ForgetTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM cartgraph_projection_versions WHERE tenant_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand Keyed(string sql, IProjection projection, TenantId tenant)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        return command;
    }
}
