using System.Threading.Channels;
using CartGraph.Api.Realtime;
using CartGraph.Domain.Values;
using CartGraph.Tests.Api.EndToEnd;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace CartGraph.Tests.Api.Realtime;

/// <summary>Each subscriber has a bounded buffer of its own: a slow one fails alone, with an error that says so, and slows nobody.</summary>
public sealed class SlowSubscriberSpecs(FanoutServer api) : IClassFixture<FanoutServer>
{
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
        using var slowSubscription = (await feed.CartEventsAsync(tenant, null, after: null, CancellationToken.None)).Subscribe(slow);
        using var fastSubscription = (await feed.CartEventsAsync(tenant, "cart-1", after: null, CancellationToken.None)).Subscribe(fast);

        var changes = 3 * FanoutServer.Buffer;
        var delivered = new List<CartGraph.Api.Carts.CartEventModel>();
        for (var i = 1; i <= changes; i++)
        {
            await shop.Add("cart-1", $"SKU-{i}");
            delivered.AddRange(await fast.TakeAsync(1)); // in step: the fast one never holds more than one
        }
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
