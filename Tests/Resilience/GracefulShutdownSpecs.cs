using System.Diagnostics;
using System.Net.WebSockets;
using CartGraph.Tests.Api;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Transport;
using Npgsql;
using Xunit.Abstractions;

namespace CartGraph.Tests.Resilience;

/// <summary>SIGTERM, as an orchestrator stops an instance: it finishes what it started and hands its work over.</summary>
[Collection(ResilienceCollection.Name)]
public sealed class GracefulShutdownSpecs(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly string[] Tenants = Enumerable.Range(1, 4).Select(i => $"resilience-sigterm-{i}").ToArray();
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    private ApiProcess[] instances = [];

    [Fact]
    public async Task On_SIGTERM_an_instance_answers_its_mutation_in_flight_closes_subscriptions_1001_exits_0_and_releases_its_processors_at_once()
    {
        instances = await Task.WhenAll(
            ApiProcess.StartAsync("api-stopping", database.ConnectionString, new Dictionary<string, string> { ["ShutdownTimeout"] = ShutdownTimeout.ToString() }),
            ApiProcess.StartAsync("api-staying", database.ConnectionString));
        var (stopping, staying) = (instances[0], instances[1]);
        foreach (var tenant in Tenants) await new Shop(staying.Http, tenant).Create("cart-1");
        await Ownership.UntilAsync(instances, o => o.EachRunsOnce(Tenants) && o.Spread, TimeSpan.FromSeconds(20));

        var tenantId = Tenants[0];
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(stopping.WebSocket, new { authorization = Bearer.Header(tenantId) });
        await socket.SubscribeAsync("1", Operations.Document("CartChanged"), new { tenantId, cartId = "cart-1" });
        // In flight for as long as the spec wants: the cart's stream row is locked, so the mutation's append waits for it.
        await using var locker = new NpgsqlConnection(database.ConnectionString);
        await using var blocker = await LockStreamAsync(locker, tenantId, "cart-1");
        var inFlight = new Shop(stopping.Http, tenantId).Add("cart-1", "SKU-1");
        await WaitingForLockAsync();

        await stopping.TerminateAsync();
        var clock = Stopwatch.StartNew();
        var complete = await socket.ReceiveAsync();
        Assert.Equal(("complete", "1"), (complete.GetProperty("type").GetString(), complete.GetProperty("id").GetString()));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, (await socket.ReceiveCloseAsync()).Status); // 1001 Going Away
        await RefusesNewConnectionsAsync(stopping);

        await blocker.RollbackAsync();
        Assert.Equal(2, (long)(await inFlight)["version"]!);
        Assert.Equal(0, await stopping.WaitForExitAsync(ShutdownTimeout));
        output.WriteLine($"Exited {clock.Elapsed.TotalSeconds:0.00} s after SIGTERM");
        Assert.True(clock.Elapsed < ShutdownTimeout, $"Exited {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM");

        // Released, not left for a connection timeout: the other instance runs everything at its next ownership rounds.
        var exited = Stopwatch.StartNew();
        await Ownership.UntilAsync([staying], o => o.EachRunsOnce(Tenants), TimeSpan.FromSeconds(10));
        output.WriteLine($"Taken over {exited.Elapsed.TotalSeconds:0.00} s after the exit");
        Assert.True(exited.Elapsed < TimeSpan.FromSeconds(2), $"Taking over took {exited.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>A transaction holding the stream's row lock until it is rolled back.</summary>
    private static async Task<NpgsqlTransaction> LockStreamAsync(NpgsqlConnection connection, string tenant, string streamId)
    {
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM emt_streams WHERE partition = $1 AND stream_id = $2 FOR UPDATE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        Assert.Equal(1, await command.ExecuteScalarAsync());
        return transaction;
    }

    /// <summary>Until a session of this database waits for a row lock in an append: the mutation's.</summary>
    private async Task WaitingForLockAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE emt_streams%'
            """, connection);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The mutation never reached its append");
            await Task.Delay(20);
        }
    }

    /// <summary>Stopping, the instance takes no new connection (soon after SIGTERM: the listener closes first).</summary>
    private static async Task RefusesNewConnectionsAsync(ApiProcess api)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            using var fresh = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
            try
            {
                (await fresh.GetAsync("/health/live")).Dispose();
            }
            catch (HttpRequestException)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "The stopping instance still accepts new connections");
            await Task.Delay(50);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
    }
}
