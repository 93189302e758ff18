using System.Threading.Channels;
using CartGraph.Api.Realtime;
using CartGraph.Domain.Values;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Integration;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CartGraph.Tests.Api.Realtime;

/// <summary>
/// One reader per tenant per instance: the store is read once per change however many subscriptions watch the tenant or
/// its carts, and each subscriber has a bounded buffer of its own, so a slow one fails alone and slows nobody.
/// </summary>
public sealed class FanoutSpecs(FanoutServer api, ITestOutputHelper output) : IClassFixture<FanoutServer>
{
    private const int Changes = 5;

    [Fact]
    public async Task Many_subscribers_cost_the_store_as_many_statements_per_change_as_one_of_each_kind()
    {
        var shop = new Shop(api.Http, "fanout-reads");
        using var statements = new StatementCounter(new NpgsqlConnectionStringBuilder(api.ConnectionString).Database!);

        var one = await StatementsForChangesAsync(shop, "cart-1", each: 1);
        var many = await StatementsForChangesAsync(shop, "cart-2", each: 20);

        output.WriteLine($"{Changes} changes: {one} statements with 3 subscribers, {many} with 60");
        // Before: every subscription read the store on every change, 57 more reads a change. Timers may add a few.
        Assert.True(many <= one + 10, $"{many} statements with 60 subscribers, {one} with 3, for {Changes} changes");

        async Task<long> StatementsForChangesAsync(Shop shop, string cartId, int each)
        {
            await shop.Create(cartId);
            var events = await Task.WhenAll(Enumerable.Range(0, 2 * each).Select(i =>
                Subscriber.SubscribeAsync(api.WebSocket, "CartEvents", new { tenantId = shop.TenantId, cartId = i % 2 == 0 ? null : cartId })));
            var carts = await Task.WhenAll(Enumerable.Range(0, each).Select(_ =>
                Subscriber.SubscribeAsync(api.WebSocket, "CartChanged", new { tenantId = shop.TenantId, cartId })));
            try
            {
                await Task.Delay(500); // the subscriptions' own start-up reads are done
                var before = statements.Count;
                for (var i = 1; i <= Changes; i++) await shop.Add(cartId, $"SKU-{i}");
                await Task.WhenAll(events.Select(s => s.NextAsync(Changes)));
                // cartChanged pushes the cart as it is: changes close together may arrive as one.
                await Task.WhenAll(carts.Select(s => s.NextUntilAsync(cart => (long)cart["version"]! == Changes + 1)));
                return statements.Count - before;
            }
            finally
            {
                foreach (var subscriber in events.Concat(carts)) await subscriber.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_subscriber_too_slow_for_its_buffer_fails_with_a_clear_error_and_the_others_get_every_event_meanwhile()
    {
        var shop = new Shop(api.Http, "fanout-slow");
        await shop.Create("cart-1");
        var feed = api.Services.GetRequiredService<CartFeed>();
        var tenant = TenantId.Parse(shop.TenantId);
        using var gate = new ManualResetEventSlim();
        var slow = new Observed(onNext: gate.Wait);
        var fast = new Observed();
        using var slowSubscription = (await feed.CartEventsAsync(tenant, null, CancellationToken.None)).Subscribe(slow);
        using var fastSubscription = (await feed.CartEventsAsync(tenant, "cart-1", CancellationToken.None)).Subscribe(fast);

        var changes = 3 * FanoutServer.Buffer;
        for (var i = 1; i <= changes; i++) await shop.Add("cart-1", $"SKU-{i}");
        var delivered = await fast.TakeAsync(changes);
        gate.Set();
        var failure = await slow.FailureAsync();

        Assert.Equal(Enumerable.Range(2, changes).Select(p => (long)p), delivered.Select(e => e.StreamPosition));
        var error = Assert.IsType<ExecutionError>(failure);
        Assert.Equal("SUBSCRIBER_TOO_SLOW", error.Code);
        Assert.Contains("too slow", error.Message, StringComparison.Ordinal);
        Assert.InRange(slow.Count, 1, FanoutServer.Buffer + 1);
    }

    /// <summary>An observer as a transport is one: it takes each value, perhaps slowly, and remembers how the stream ended.</summary>
    private sealed class Observed(Action? onNext = null) : IObserver<object?>
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
        private readonly Channel<CartGraph.Api.Carts.CartEventModel> values = Channel.CreateUnbounded<CartGraph.Api.Carts.CartEventModel>();
        private readonly TaskCompletionSource<Exception> failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int count;

        public int Count => Volatile.Read(ref count);

        public void OnNext(object? value)
        {
            Interlocked.Increment(ref count);
            onNext?.Invoke();
            values.Writer.TryWrite((CartGraph.Api.Carts.CartEventModel)value!);
        }

        public void OnError(Exception error) => failed.TrySetResult(error);

        public void OnCompleted() => failed.TrySetException(new InvalidOperationException("completed without an error"));

        public async Task<IReadOnlyList<CartGraph.Api.Carts.CartEventModel>> TakeAsync(int count)
        {
            var taken = new List<CartGraph.Api.Carts.CartEventModel>();
            using var timeout = new CancellationTokenSource(Patience);
            while (taken.Count < count) taken.Add(await values.Reader.ReadAsync(timeout.Token));
            return taken;
        }

        public Task<Exception> FailureAsync() => failed.Task.WaitAsync(Patience);
    }
}
