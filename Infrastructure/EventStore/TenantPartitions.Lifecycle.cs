using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>One of a tenant's tables: its partition of <see cref="Parent"/>, attached or not.</summary>
public sealed record TenantTable(string Parent, string Name);

/// <summary>
/// The DDL of a tenant's life after onboarding, on a session the caller holds: staging tables to fill before they are
/// attached (an import), detaching and dropping them (a drop). None locks a parent in a mode a read or a write waits for.
/// </summary>
/// <remarks>
/// NOTE: <c>DETACH PARTITION … CONCURRENTLY</c> runs outside any transaction, marks the partition as being detached,
/// waits for the transactions that were using the parent, then finishes; meanwhile new statements no longer see it.
/// A detach interrupted half way is finished (<c>FINALIZE</c>) by the next one.
/// </remarks>
public sealed partial class TenantPartitions
{
    /// <summary>The tables a tenant has a partition of, in the order onboarding attaches them.</summary>
    public static readonly IReadOnlyList<string> Parents = ["emt_streams", "emt_messages", "emt_subscriptions"];

    /// <summary>
    /// Holds the tenant for the session: its onboarding (<c>emt_add_partition</c>) waits, another import or drop
    /// refuses. Waits a little for an onboarding under way; false when another session still holds it.
    /// </summary>
    public static async Task<bool> TryHoldAsync(NpgsqlConnection session, TenantId tenant, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            if (await ScalarAsync(session, "SELECT pg_try_advisory_lock(hashtext('cartgraph:partition:' || $1))", ct, tenant.Value) is true)
                return true;
            await Task.Delay(100, ct);
        }
        return false;
    }

    public static Task ReleaseAsync(NpgsqlConnection session, TenantId tenant, CancellationToken ct) =>
        ScalarAsync(session, "SELECT pg_advisory_unlock(hashtext('cartgraph:partition:' || $1))", ct, tenant.Value);

    /// <summary>Whether any table of the tenant exists: attached, being detached, or left over by an import or drop that died.</summary>
    public static async Task<bool> AnyAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct) =>
        await ScalarAsync(connection, """
            SELECT EXISTS (SELECT FROM unnest($2::text[]) p WHERE cartgraph_partition_of(p, $1) IS NOT NULL
                                                              OR EXISTS (SELECT cartgraph_unattached_partitions(p, $1)))
            """, ct, tenant.Value, Parents.ToArray()) is true;

    /// <summary>Creates the tenant's tables, not attached: nobody sees them until <see cref="AttachAsync"/>. Leftovers go first.</summary>
    public static async Task<IReadOnlyList<TenantTable>> StageAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        var tables = new List<TenantTable>();
        foreach (var parent in Parents)
            tables.Add(new TenantTable(parent, (string)(await ScalarAsync(connection, "SELECT cartgraph_stage_partition($1, $2)", ct, parent, tenant.Value))!));
        return tables;
    }

    /// <summary>Attaches staged or detached tables, in the caller's transaction: SHARE UPDATE EXCLUSIVE on each parent, no scan.</summary>
    public static async Task AttachAsync(NpgsqlConnection connection, TenantId tenant, IEnumerable<TenantTable> tables, CancellationToken ct)
    {
        foreach (var table in tables.OrderBy(t => Order(t.Parent)))
            await ScalarAsync(connection, "SELECT cartgraph_attach_partition($1, $2, $3)", ct, table.Parent, tenant.Value, table.Name);
    }

    /// <summary>
    /// Detaches the tenant's partitions, outside any transaction: emt_subscriptions first, so that from then on no
    /// processor can commit a batch for the tenant. They become unattached tables (<see cref="UnattachedAsync"/>).
    /// </summary>
    public static async Task DetachAsync(NpgsqlConnection session, TenantId tenant, CancellationToken ct)
    {
        foreach (var parent in Parents.Reverse())
        {
            // Its parent is its bucket of the table (migration 0012).
            await using var find = new NpgsqlCommand("""
                SELECT p.name, i.inhdetachpending, i.inhparent::regclass::text FROM (SELECT cartgraph_partition_of($1, $2) AS name) p
                  JOIN pg_inherits i ON i.inhrelid = to_regclass(quote_ident(p.name))
                """, session);
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parent });
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
            string? name = null, bucket = null;
            var pending = false;
            await using (var reader = await find.ExecuteReaderAsync(ct))
                if (await reader.ReadAsync(ct)) (name, pending, bucket) = (reader.GetString(0), reader.GetBoolean(1), reader.GetString(2));
            if (name is null) continue;
            await using var detach = new NpgsqlCommand(
                $"ALTER TABLE {bucket} DETACH PARTITION {Quote(name)} {(pending ? "FINALIZE" : "CONCURRENTLY")}", session);
            await detach.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The tenant's tables that are no partition: staged by an import, or detached.</summary>
    public static async Task<IReadOnlyList<TenantTable>> UnattachedAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT p, cartgraph_unattached_partitions(p, $1) FROM unnest($2::text[]) p", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Parents.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tables = new List<TenantTable>();
        while (await reader.ReadAsync(ct)) tables.Add(new TenantTable(reader.GetString(0), reader.GetString(1)));
        return tables;
    }

    /// <summary>
    /// Drops the tenant's unattached tables unless they hold a stream or a message (written just before they were
    /// detached): false then, and they are kept. Checked and dropped under one lock, so that no statement naming them
    /// writes in between.
    /// </summary>
    public static async Task<bool> DropIfEmptyAsync(NpgsqlConnection session, IReadOnlyList<TenantTable> tables, CancellationToken ct)
    {
        await using var transaction = await session.BeginTransactionAsync(ct);
        await ScalarAsync(session, $"LOCK TABLE {string.Join(", ", tables.Select(t => Quote(t.Name)))} IN ACCESS EXCLUSIVE MODE", ct);
        foreach (var table in tables.Where(t => t.Parent != "emt_subscriptions"))
            if (await ScalarAsync(session, $"SELECT EXISTS (SELECT FROM {Quote(table.Name)})", ct) is true) return false;
        foreach (var table in tables) await ScalarAsync(session, $"DROP TABLE {Quote(table.Name)}", ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Drops every unattached table of the tenant: only they are locked, and nobody reads them.</summary>
    public static async Task DropUnattachedAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        foreach (var table in await UnattachedAsync(connection, tenant, ct))
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {Quote(table.Name)}", connection);
            await drop.ExecuteNonQueryAsync(ct);
        }
    }

    private static int Order(string parent) => Parents.ToList().IndexOf(parent);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteScalarAsync(ct);
    }
}
