using System.Data;
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

    /// <summary>
    /// Runs <paramref name="work"/> on a connection of <see cref="Commands"/>, for work that a token cancels half-way as a
    /// matter of course (a processor whose host stops or whose bucket moves): a failed run hands its connection back to the
    /// pool without its prepared statements.
    /// </summary>
    /// <remarks>
    /// NOTE: works around an Npgsql bug (https://github.com/npgsql/npgsql/issues/6391, open; still so in 10.0.3 and on
    /// its main branch). When Npgsql auto-prepares a statement, it counts it prepared as soon as PostgreSQL confirms the
    /// Parse, and learns its columns only from the Describe that follows the Bind. An error in that Bind (a cancel that
    /// arrives while the Bind plans or waits for a lock) leaves the statement counted prepared with no columns: the next
    /// run of the same text on that pooled connection expects no rows, gets one, and fails with "Received unexpected
    /// backend message DataRow" (the CI saw it once, from <c>ProjectionProcessor.LagAsync</c>; CancelledLagSpecs makes
    /// it happen). <see cref="NpgsqlConnection.UnprepareAll"/> drops every prepared statement of the connection, in
    /// PostgreSQL and in Npgsql; they are prepared again on their next uses. Turning auto-preparation off instead would
    /// remove the bug for every statement, but every statement would be parsed and planned again at each run: a 5-event
    /// stream read took 0.23 ms instead of 0.13, and one writer's appends fell from 93 % to 61 % of the raw limit
    /// (`append` suite, medians of three alternating runs on a loaded machine). Other work on <see cref="Commands"/> that a
    /// token cancels half-way (a request whose client went away) can still leave such a statement behind until it moves
    /// here: Npgsql then fails that statement's next run once and closes the connection.
    /// </remarks>
    public async Task<T> UsePooledConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await Commands.OpenConnectionAsync(cancellationToken);
        try
        {
            return await work(connection);
        }
        catch when (connection.State == ConnectionState.Open) // a broken connection leaves the pool with its state
        {
            ForgetPreparedStatements(connection);
            throw;
        }
    }

    private void ForgetPreparedStatements(NpgsqlConnection connection)
    {
        try
        {
            connection.UnprepareAll(); // Npgsql has no asynchronous form: one short round trip, on a failure only
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // It could not be done (the session failed too): every connection the pool lent before now is closed when it
            // comes back, this one included, rather than lent again with a statement that would fail.
            Commands.Clear();
        }
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
