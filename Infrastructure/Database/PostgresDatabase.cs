using Npgsql;

namespace CartGraph.Infrastructure.Database;

/// <summary>
/// The two ways this service talks to PostgreSQL, both from one connection string.
/// </summary>
/// <remarks>
/// NOTE: <see cref="Commands"/> skips Npgsql's reset of pooled connections (DISCARD ALL and friends on every
/// reuse), which is much of an append's cost; it is safe only because nothing run through it leaves
/// session state behind: no SET (only SET LOCAL), no LISTEN, no session advisory lock, no temp table.
/// Anything that needs session state uses a <see cref="Dedicated"/> connection, whose session ends with it.
/// NOTE: <see cref="Commands"/> also plans prepared statements once (<c>plan_cache_mode=force_generic_plan</c>).
/// Every statement names its tenant's partition as a parameter, and with the default mode PostgreSQL kept
/// choosing a fresh custom plan at every execution: planning was half of an append's server time. A generic
/// plan prunes partitions when it starts executing instead.
/// </remarks>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(string connectionString, NpgsqlDataSource commands, NpgsqlDataSource dedicated)
    {
        ConnectionString = connectionString;
        Commands = commands;
        Dedicated = dedicated;
    }

    public string ConnectionString { get; }

    /// <summary>Stateless statements: appends, reads, projections' batches. Statements are prepared once per connection.</summary>
    public NpgsqlDataSource Commands { get; }

    /// <summary>
    /// A connection of its own, outside any pool: its session ends when it is disposed.
    /// NOTE: a pooled connection is only reset when it is next used, so advisory locks and LISTENs would
    /// outlive their owner in the pool; ownership and listening need this instead.
    /// </summary>
    public NpgsqlDataSource Dedicated { get; }

    public static PostgresDatabase Create(string connectionString, string applicationName = "cartgraph")
    {
        var commands = new NpgsqlDataSourceBuilder(connectionString);
        commands.ConnectionStringBuilder.ApplicationName ??= applicationName;
        commands.ConnectionStringBuilder.NoResetOnClose = true;
        if (commands.ConnectionStringBuilder.MaxAutoPrepare == 0) commands.ConnectionStringBuilder.MaxAutoPrepare = 64;
        commands.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        commands.ConnectionStringBuilder.Options =
            $"{commands.ConnectionStringBuilder.Options} -c plan_cache_mode=force_generic_plan".Trim();

        var dedicated = new NpgsqlDataSourceBuilder(connectionString);
        dedicated.ConnectionStringBuilder.ApplicationName ??= applicationName;
        dedicated.ConnectionStringBuilder.Pooling = false;
        dedicated.ConnectionStringBuilder.KeepAlive = 10;

        return new PostgresDatabase(connectionString, commands.Build(), dedicated.Build());
    }

    /// <summary>One round trip to the server: it throws when PostgreSQL does not answer.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = Commands.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Commands.DisposeAsync();
        await Dedicated.DisposeAsync();
    }
}
