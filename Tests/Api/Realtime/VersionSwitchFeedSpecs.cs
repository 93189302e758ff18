using System.Threading.Channels;
using CartGraph.Api.Carts;
using CartGraph.Api.Realtime;
using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Tests.Integration;
using CartGraph.Tests.Integration.Projections;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Tests.Api.Realtime;

/// <summary>
/// <c>cartChanged</c> and <c>cartEvents</c> subscribers of an instance's feed keep receiving across a blue/green switch.
/// A change that comes after the served version's last batch and before the switch is projected by the rebuild alone,
/// which announces nothing while it builds: the switch itself must reach the subscribers. No processor runs here, so
/// that window is held open on purpose.
/// </summary>
public sealed class VersionSwitchFeedSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private sealed class Collector : IObserver<object?>
    {
        public Channel<object?> Items { get; } = Channel.CreateUnbounded<object?>();
        public void OnCompleted() => Items.Writer.TryComplete();
        public void OnError(Exception error) => Items.Writer.TryComplete(error);
        public void OnNext(object? value) => Items.Writer.TryWrite(value);

        public async Task<T> NextAsync<T>() => (T)(await Items.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)))!;
    }

    [Fact]
    public async Task Subscribers_receive_what_only_the_rebuild_projected_at_the_switch_and_every_change_after_it()
    {
        var tenant = StoreDatabase.NewTenant();
        using var listener = new PostgresListener(db.Postgres, ProjectionChannels.All);
        await listener.StartAsync(CancellationToken.None);
        var cache = new CartCache(listener);
        using var feed = new CartFeed(listener, new CartReads(db.Postgres, cache), cache, db.Store, new RealtimeSettings(),
            NullLogger<CartFeed>.Instance);
        await Integration.Projections.Carts.HandleAsync(db, tenant, "cart-1", Integration.Projections.Carts.Create(tenant, "cart-1"));
        var served = Integration.Projections.Carts.Processor(db, tenant);
        await served.CatchUpAsync();
        await Eventually.Until(() => Task.FromResult(listener.IsConnected), connected => connected);

        var changed = new Collector();
        using var changes = (await feed.CartChangedAsync(tenant, "cart-1", null, CancellationToken.None)).Subscribe(changed);
        var events = new Collector();
        using var tenantEvents = (await feed.CartEventsAsync(tenant, null, null, CancellationToken.None)).Subscribe(events);
        await Integration.Projections.Carts.HandleAsync(db, tenant, "cart-1", Integration.Projections.Carts.Add(tenant, "cart-1", "A", 1, 2m));
        await served.CatchUpAsync();
        Assert.Equal(2L, (await changed.NextAsync<CartView>()).Version);
        Assert.Equal(2L, (await events.NextAsync<CartEventModel>()).StreamPosition);

        // After the served version's last batch: only the rebuild projects this one.
        await Integration.Projections.Carts.HandleAsync(db, tenant, "cart-1", Integration.Projections.Carts.Add(tenant, "cart-1", "B", 1, 3m));
        await new ProjectionRebuild(db.Postgres, new ProjectionOptions()).RunAsync(Integration.Projections.Carts.Projection, [tenant], new Progress<RebuildProgress>());

        var atSwitch = await changed.NextAsync<CartView>();
        Assert.Equal(3L, atSwitch.Version);
        Assert.True(atSwitch.Items.Find("B").IsSome);
        Assert.Equal(3L, (await events.NextAsync<CartEventModel>()).StreamPosition);

        served.CursorMayHaveMoved();
        await Integration.Projections.Carts.HandleAsync(db, tenant, "cart-1", Integration.Projections.Carts.Add(tenant, "cart-1", "C", 1, 4m));
        await served.CatchUpAsync();
        Assert.Equal(4L, (await changed.NextAsync<CartView>()).Version);
        Assert.Equal(4L, (await events.NextAsync<CartEventModel>()).StreamPosition);
    }
}
