using Npgsql;

namespace CartGraph.Infrastructure.Database;

/// <summary>
/// The two ways this service talks to PostgreSQL, both from one connection string.
/// </summary>
/// <remarks>
/// NOTE: <see cref="Commands"/> skips Npgsql's reset of pooled connections (DISCARD ALL and friends on every
/// reuse), which is much of an append's cost; it is safe only because nothing run through it leaves
/// session state behind: no SET (only SET LOCAL), no LISTEN, no session advisory lock, no temp table.
/// Anything that needs session state uses <see cref="Sessions"/>, whose connections are reset.
/// </remarks>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(string connectionString, NpgsqlDataSource commands, NpgsqlDataSource sessions)
    {
        ConnectionString = connectionString;
        Commands = commands;
        Sessions = sessions;
    }

    public string ConnectionString { get; }

    /// <summary>Stateless statements: appends, reads, projections' batches. Statements are prepared once per connection.</summary>
    public NpgsqlDataSource Commands { get; }

    /// <summary>Connections that hold session state: listeners, advisory locks, migrations.</summary>
    public NpgsqlDataSource Sessions { get; }

    public static PostgresDatabase Create(string connectionString, string applicationName = "cartgraph")
    {
        var commands = new NpgsqlDataSourceBuilder(connectionString);
        commands.ConnectionStringBuilder.ApplicationName ??= applicationName;
        commands.ConnectionStringBuilder.NoResetOnClose = true;
        if (commands.ConnectionStringBuilder.MaxAutoPrepare == 0) commands.ConnectionStringBuilder.MaxAutoPrepare = 64;
        commands.ConnectionStringBuilder.AutoPrepareMinUsages = 2;

        var sessions = new NpgsqlDataSourceBuilder(connectionString);
        sessions.ConnectionStringBuilder.ApplicationName ??= applicationName;

        return new PostgresDatabase(connectionString, commands.Build(), sessions.Build());
    }

    public async ValueTask DisposeAsync()
    {
        await Commands.DisposeAsync();
        await Sessions.DisposeAsync();
    }
}
