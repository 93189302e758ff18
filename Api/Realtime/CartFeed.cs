using System.Collections.Concurrent;
using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;

namespace CartGraph.Api.Realtime;

/// <summary>
/// Live carts for this process: fed by the projection's notifications on the process's one listening connection. Each
/// tenant's events and each cart's row are read once per change whatever the number of subscriptions (one
/// <see cref="FeedReader{TItem}"/> each), and fanned out in memory to every subscription and every client waiting for its
/// own write. After the listening connection comes back, every reader reads again, so nothing missed stays missed.
/// </summary>
public sealed class CartFeed : IDisposable
{
    private readonly CartReads reads;
    private readonly CartCache cache;
    private readonly EventStore store;
    private readonly RealtimeSettings settings;
    private readonly ILogger logger;
    private readonly IDisposable subscription;
    private readonly IDisposable switches;
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, TenantEventReader> events = new();
    private readonly ConcurrentDictionary<(string Tenant, string Cart), CartRowReader> rows = new();
    private readonly ConcurrentDictionary<(string Tenant, string Cart), ConcurrentDictionary<TaskCompletionSource, byte>> waiters = new();

    public CartFeed(
        PostgresListener listener, CartReads reads, CartCache cache, EventStore store, RealtimeSettings settings, ILogger<CartFeed> logger)
    {
        this.reads = reads;
        this.cache = cache;
        this.store = store;
        this.settings = settings;
        this.logger = logger;
        subscription = listener.Subscribe(ProjectedChanges.Channel, OnChanges);
        switches = listener.Subscribe(SubscriptionCheckpoints.ResetChannel, OnSwitched);
        listener.Reconnected += OnReconnected;
    }

    /// <summary>Open subscriptions in this process (for metrics).</summary>
    public int Subscriptions => events.Values.Sum(r => r.Count) + rows.Values.Sum(r => r.Count);

    /// <summary>
    /// The cart's row every time its version moves on, from now or, with <paramref name="afterVersion"/>, at once when it
    /// is newer than that; completes when the cart is archived.
    /// </summary>
    public async Task<IObservable<object?>> CartChangedAsync(TenantId tenant, string cartId, long? afterVersion, CancellationToken cancellationToken)
    {
        var key = (tenant.Value, cartId);
        var subscriber = new CartChangedSubscriber(cartId, settings.SubscriberBuffer);
        // Registered before the row is read, so a change in between is offered to it, not lost.
        Join(rows, key, () => new CartRowReader(reads, tenant, cartId, logger), subscriber);
        try
        {
            subscriber.Start(afterVersion, await reads.GetAsync(tenant, cartId, cancellationToken));
        }
        catch
        {
            Leave(rows, key, subscriber);
            throw;
        }
        return new Stream(subscriber, () => Leave(rows, key, subscriber));
    }

    /// <summary>
    /// Every event of one cart, or of all the tenant's carts when <paramref name="cartId"/> is null, in commit order: from
    /// now, or every event after <paramref name="after"/> then every new one.
    /// </summary>
    public async Task<IObservable<object?>> CartEventsAsync(TenantId tenant, string? cartId, ConsumerCursor? after, CancellationToken cancellationToken)
    {
        var subscriber = new EventSubscriber(store, tenant, cartId, after, settings.SubscriberBuffer);
        var reader = Join(events, tenant.Value, () => new TenantEventReader(store, tenant, logger), subscriber);
        try
        {
            await reader.Started.WaitAsync(cancellationToken);
            await subscriber.StartAsync(cancellationToken);
        }
        catch
        {
            Leave(events, tenant.Value, subscriber);
            throw;
        }
        return new Stream(subscriber, () => Leave(events, tenant.Value, subscriber));
    }

    /// <summary>Adds a subscriber to the key's reader, started first if it is new.</summary>
    private TReader Join<TKey, TReader, TItem>(ConcurrentDictionary<TKey, TReader> readers, TKey key, Func<TReader> create, FeedSubscriber<TItem> subscriber)
        where TKey : notnull
        where TReader : FeedReader<TItem>
    {
        lock (gate)
        {
            if (!readers.TryGetValue(key, out var reader) || reader.Started.IsFaulted)
            {
                reader = create();
                reader.Start();
                readers[key] = reader;
            }
            reader.Add(subscriber);
            return reader;
        }
    }

    /// <summary>Removes a subscriber; its reader goes with the last one.</summary>
    private void Leave<TKey, TReader, TItem>(ConcurrentDictionary<TKey, TReader> readers, TKey key, FeedSubscriber<TItem> subscriber)
        where TKey : notnull
        where TReader : FeedReader<TItem>
    {
        subscriber.Dispose();
        lock (gate)
        {
            if (!readers.TryGetValue(key, out var reader)) return;
            reader.Remove(subscriber);
            if (reader.IsEmpty) readers.TryRemove(key, out _);
        }
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
        // First the cache: a reader or waiter woken below must not be served the row this change replaces.
        foreach (var change in changes.Changes) cache.Announced(changes.Tenant, change.Id, change.Version, change.Removed == true);
        foreach (var change in changes.Changes)
            if (waiters.TryGetValue((changes.Tenant, change.Id), out var waiting))
                foreach (var waiter in waiting.Keys) waiter.TrySetResult();
        var tenantEvents = events.GetValueOrDefault(changes.Tenant);
        tenantEvents?.Kick();
        foreach (var change in changes.Changes)
        {
            var row = rows.GetValueOrDefault((changes.Tenant, change.Id));
            if (change.Removed == true)
            {
                row?.Removed(change.Id);
                tenantEvents?.Removed(change.Id);
            }
            else row?.Kick();
        }
    }

    /// <summary>
    /// Another version of a tenant's read model is served now (or its cursor was reset): what the rebuild projected on its
    /// own, announcing nothing, is read now by the tenant's readers, and no row kept of the version before is served.
    /// </summary>
    private void OnSwitched(string tenant)
    {
        cache.Switched();
        events.GetValueOrDefault(tenant)?.Kick();
        foreach (var (key, reader) in rows)
            if (key.Tenant == tenant) reader.Kick();
        foreach (var (key, waiting) in waiters)
            if (key.Tenant == tenant)
                foreach (var waiter in waiting.Keys) waiter.TrySetResult();
    }

    private void OnReconnected()
    {
        logger.LogInformation("Listening again: reading for {Count} subscription(s)", Subscriptions);
        foreach (var reader in events.Values) reader.Kick();
        foreach (var reader in rows.Values) reader.Kick();
        foreach (var waiter in waiters.Values.SelectMany(w => w.Keys)) waiter.TrySetResult();
    }

    public void Dispose()
    {
        subscription.Dispose();
        switches.Dispose();
    }

    /// <summary>One subscription's observable: subscribing attaches its subscriber, disposing makes it leave.</summary>
    private sealed class Stream(IAttachable subscriber, Action leave) : IObservable<object?>
    {
        public IDisposable Subscribe(IObserver<object?> observer)
        {
            subscriber.Attach(observer);
            return new Unsubscriber(leave);
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
