using System.Collections.Concurrent;
using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;

namespace CartGraph.Api.Realtime;

/// <summary>
/// Live carts for this process: fed by the projection's notifications on the process's one listening
/// connection, fanned out in memory to every subscription and every client waiting for its own write.
/// After the listening connection comes back, every watcher fetches again, so nothing missed stays missed.
/// </summary>
public sealed class CartFeed : IDisposable
{
    private readonly CartReads reads;
    private readonly CartCache cache;
    private readonly Infrastructure.EventStore.EventStore store;
    private readonly ILogger logger;
    private readonly IDisposable subscription;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<CartWatcher, byte>> watchers = new();
    private readonly ConcurrentDictionary<(string Tenant, string Cart), ConcurrentDictionary<TaskCompletionSource, byte>> waiters = new();

    public CartFeed(
        PostgresListener listener, CartReads reads, CartCache cache, Infrastructure.EventStore.EventStore store, ILogger<CartFeed> logger)
    {
        this.reads = reads;
        this.cache = cache;
        this.store = store;
        this.logger = logger;
        subscription = listener.Subscribe(ProjectedChanges.Channel, OnChanges);
        listener.Reconnected += OnReconnected;
    }

    /// <summary>Open subscriptions in this process (for metrics).</summary>
    public int Subscriptions => watchers.Values.Sum(w => w.Count);

    /// <summary>The cart's row every time it changes from now on; completes when the cart is archived.</summary>
    public Task<IObservable<object?>> CartChangedAsync(TenantId tenant, string cartId, CancellationToken cancellationToken) =>
        WatchAsync(new CartChangedWatcher(reads, tenant, cartId, logger), cancellationToken);

    /// <summary>Every new event of one cart, or of all the tenant's carts when <paramref name="cartId"/> is null.</summary>
    public Task<IObservable<object?>> CartEventsAsync(TenantId tenant, string? cartId, CancellationToken cancellationToken) =>
        WatchAsync(cartId is null
            ? new TenantEventsWatcher(store, tenant, logger)
            : new CartEventsWatcher(store, tenant, cartId, logger), cancellationToken);

    /// <summary>
    /// Registers the watcher before reading its starting point, so a change in between is fetched, not lost;
    /// it pushes once subscribed to.
    /// </summary>
    private async Task<IObservable<object?>> WatchAsync(CartWatcher watcher, CancellationToken cancellationToken)
    {
        Add(watcher);
        try
        {
            await watcher.StartAsync(cancellationToken);
        }
        catch
        {
            Remove(watcher);
            throw;
        }
        return new WatcherStream(this, watcher);
    }

    /// <summary>
    /// The cart once the read model has reached <paramref name="version"/>, or as it is when <paramref name="timeout"/>
    /// passes first: lets a client read its own write.
    /// </summary>
    public async Task<CartView?> WaitForVersionAsync(TenantId tenant, string cartId, long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var key = (tenant.Value, cartId);
            var waiting = waiters.GetOrAdd(key, _ => new());
            waiting.TryAdd(changed, 0);
            try
            {
                var cart = await reads.GetAsync(tenant, cartId, cancellationToken);
                var left = deadline - DateTime.UtcNow;
                if (cart?.Version >= version || left <= TimeSpan.Zero) return cart;
                // NOTE: a notification lost on the way only costs a poll: wait at most a second before looking again.
                await changed.Task.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                waiting.TryRemove(changed, out _);
                // The cart's entry goes with its last waiter, or every cart ever waited for would stay. A waiter that
                // joined the entry just before it went is not woken by a notification, only by its next poll.
                if (waiting.IsEmpty) waiters.TryRemove(new KeyValuePair<(string, string), ConcurrentDictionary<TaskCompletionSource, byte>>(key, waiting));
            }
        }
    }

    private void OnChanges(string payload)
    {
        if (ProjectedChanges.Parse(payload) is not { Projection: CartsProjection.ProjectionName } changes) return;
        // First the cache: a watcher or waiter woken below must not be served the row this change replaces.
        foreach (var change in changes.Changes) cache.Announced(changes.Tenant, change.Id, change.Version, change.Removed == true);
        foreach (var change in changes.Changes)
            if (waiters.TryGetValue((changes.Tenant, change.Id), out var waiting))
                foreach (var waiter in waiting.Keys) waiter.TrySetResult();
        if (!watchers.TryGetValue(changes.Tenant, out var ofTenant)) return;
        foreach (var watcher in ofTenant.Keys)
            foreach (var change in changes.Changes.Where(c => watcher.Wants(c.Id)))
                watcher.Kick(change.Removed == true ? change.Id : null);
    }

    private void OnReconnected()
    {
        logger.LogInformation("Listening again: fetching the current state of {Count} subscription(s)", Subscriptions);
        foreach (var watcher in watchers.Values.SelectMany(w => w.Keys)) watcher.Kick();
        foreach (var waiter in waiters.Values.SelectMany(w => w.Keys)) waiter.TrySetResult();
    }

    private void Add(CartWatcher watcher) => watchers.GetOrAdd(watcher.Tenant.Value, _ => new()).TryAdd(watcher, 0);

    private void Remove(CartWatcher watcher)
    {
        if (watchers.TryGetValue(watcher.Tenant.Value, out var ofTenant)) ofTenant.TryRemove(watcher, out _);
    }

    public void Dispose() => subscription.Dispose();

    /// <summary>One subscription's observable: subscribing attaches its watcher, disposing stops it.</summary>
    private sealed class WatcherStream(CartFeed feed, CartWatcher watcher) : IObservable<object?>
    {
        public IDisposable Subscribe(IObserver<object?> observer)
        {
            watcher.Attach(observer);
            return new Unsubscriber(() =>
            {
                feed.Remove(watcher);
                watcher.Dispose();
            });
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) dispose();
        }
    }
}
