using System.Diagnostics;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Schema;
using CartGraph.Tests.Api;
using CartGraph.Tests.Api.EndToEnd;
using Xunit.Abstractions;

namespace CartGraph.Tests.Resilience;

/// <summary>
/// An instance that can no longer serve says why and exits non-zero within its shutdown timeout, so that an
/// orchestrator starts a new one; it never stays up without serving.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class FailFastSpecs(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Tenant = "resilience-memory";
    private const int Carts = 400;
    private const int LinesPerCart = 100;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private ApiProcess? api;

    [Fact]
    public async Task When_memory_runs_out_the_instance_logs_why_and_exits_non_zero_within_its_shutdown_timeout()
    {
        var clock = Stopwatch.StartNew();
        await StoreLargeCartsAsync();
        output.WriteLine($"{Carts} carts of {LinesPerCart} lines stored in {clock.Elapsed.TotalSeconds:0.0} s");
        // An aggregate cache allowed far more than the heap can hold (misconfigured on purpose): a command on every cart
        // caches its state, and the heap fills.
        api = await ApiProcess.StartAsync("api-small-heap", database.ConnectionString, new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = $"0x{24 << 20:X}",
            ["Caches:AggregateMegabytes"] = "4096",
            ["ShutdownTimeout"] = ShutdownTimeout.ToString(),
        });

        var shop = new Shop(api.Http, Tenant);
        var answered = 0;
        var lastAnswer = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Carts), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (cart, _) =>
        {
            if (api.HasExited) return;
            try
            {
                await shop.PayloadOf("AddItemToCart", new
                {
                    tenantId = Tenant, cartId = CartId(cart), item = new { sku = Sku(cart, 0), name = Name(cart, 0), quantity = 1, unitPrice = 1m },
                });
                Interlocked.Increment(ref answered);
                lastAnswer.Restart();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or Xunit.Sdk.XunitException)
            {
                // Going down: what matters is how it exits.
            }
        });
        output.WriteLine($"{answered} of {Carts} command(s) answered before the instance stopped answering");

        var exitCode = await api.WaitForExitAsync(ShutdownTimeout + TimeSpan.FromSeconds(5) - lastAnswer.Elapsed);
        output.WriteLine($"Exited with {exitCode}, {lastAnswer.Elapsed.TotalSeconds:0.0} s after its last answer\n{api.Log}");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("cannot serve any longer: memory ran out", api.Log, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Carts of 100 lines with long texts, about 64 KB each once in memory, appended straight to the store.</summary>
    private async Task StoreLargeCartsAsync()
    {
        await using var db = PostgresDatabase.Create(database.ConnectionString, "resilience-setup");
        await new SchemaMigrator(db).MigrateAsync();
        var store = new EventStore(db, new TenantPartitions(db));
        var tenant = TenantId.Parse(Tenant);
        await Parallel.ForEachAsync(Enumerable.Range(0, Carts), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (cart, token) =>
        {
            var events = Enumerable.Range(0, LinesPerCart)
                .Select(CartEvent (line) => new CartEvent.ItemAddedToCart(new CartItem(Sku(cart, line), Name(cart, line), 1, 1m)))
                .Prepend(new CartEvent.CartCreated("USD"))
                .Select(e => new NewMessage(CartEventJson.Codec.TypeOf(e), CartEventJson.Codec.Serialize(e)))
                .ToList();
            var appended = await store.AppendAsync(tenant, CartId(cart), Cart.StreamType, events, ExpectedVersion.NoStream, cancellationToken: token);
            Assert.True(appended.IsRight, $"{CartId(cart)}: {appended}");
        });
    }

    private static string CartId(int cart) => $"large-{cart:D4}";

    private static string Sku(int cart, int line) => $"{cart}-{line}-".PadRight(64, 's');

    private static string Name(int cart, int line) => $"Item {line} of cart {cart} ".PadRight(200, 'n');

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (api is not null) await api.DisposeAsync();
    }
}
