using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Postgres;

namespace CartGraph.Tests.Resilience;

/// <summary>
/// After PostgreSQL restarts, the pooled connections it closed are not lent again: the listening connection, which
/// notices the restart at once, has the pool cleared, so no statement runs on a connection the server already closed.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class PoolAfterRestartSpecs : IAsyncLifetime
{
    private const string Channel = "pool_after_restart";
    private LocalPostgresCluster cluster = null!;

    [Fact]
    public async Task Every_statement_after_a_restart_succeeds_on_its_first_try_however_many_connections_were_pooled_before()
    {
        await using var database = PostgresDatabase.Create(cluster.ConnectionString);
        using var listener = new PostgresListener(database, [Channel]);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Reconnected += () => reconnected.TrySetResult();
        await listener.StartAsync(CancellationToken.None);
        await UntilAsync(() => listener.IsConnected);

        // Eight connections in the pool, idle, as a service has them between requests.
        var open = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => database.Commands.OpenConnectionAsync().AsTask()));
        foreach (var connection in open) await connection.DisposeAsync();

        await cluster.StopAsync();
        await cluster.StartAsync();
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var failures = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            try
            {
                await using var command = database.Commands.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync();
            }
            catch (Exception e) when (DatabaseUnavailable.Is(e))
            {
                failures.Add(e.Message);
            }
        }
        await listener.StopAsync(CancellationToken.None);

        Assert.True(failures.Count == 0, $"{failures.Count} of 8 statements failed on connections the restart closed: {string.Join(" | ", failures.Distinct())}");
    }

    private static async Task UntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the listener never connected");
            await Task.Delay(50);
        }
    }

    public async Task InitializeAsync() =>
        cluster = await LocalPostgresCluster.StartThrowawayAsync(new LocalPostgresOptions { Fsync = false });

    public async Task DisposeAsync() => await cluster.DisposeAsync();
}
