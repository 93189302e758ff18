using CartGraph.Infrastructure.Database;
using Npgsql;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// Sets of a tenant's tables staged ahead of the tenants that take them (migration 0014): onboarding
/// (<c>emt_add_partition</c>) renames one to the tenant's names and attaches it instead of creating 33 relations, and
/// creates them as before when the pool is empty. Nobody sees a pooled set: it is no tenant's until it is taken.
/// </summary>
public sealed class PartitionPool(PostgresDatabase database)
{
    /// <summary>Notified (with the tenant) when an onboarding took a set, at its commit.</summary>
    public const string Channel = "cartgraph_partition_pool";

    /// <summary>Adds sets until the pool holds <paramref name="size"/>, one transaction each; how many it added.</summary>
    /// <remarks>Adds none while another session fills the pool: that one fills it up.</remarks>
    public async Task<int> FillAsync(int size, CancellationToken cancellationToken = default)
    {
        var added = 0;
        while (await ScalarAsync("SELECT cartgraph_fill_partition_pool($1)", size, cancellationToken) is true) added++;
        return added;
    }

    /// <summary>How many sets the pool holds.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default) =>
        (int)(long)(await ScalarAsync("SELECT count(*) FROM cartgraph_partition_pool", null, cancellationToken))!;

    /// <summary>Drops the pooled sets (none being taken); how many.</summary>
    public async Task<int> EmptyAsync(CancellationToken cancellationToken = default) =>
        (int)(await ScalarAsync("SELECT cartgraph_empty_partition_pool()", null, cancellationToken))!;

    private async Task<object?> ScalarAsync(string sql, int? argument, CancellationToken cancellationToken)
    {
        await using var command = database.Commands.CreateCommand(sql);
        if (argument is { } value) command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = value });
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
