using System.Collections.Concurrent;

namespace CartGraph.Api.Realtime;

/// <summary>
/// What this instance reads of one source (a tenant's events, a cart's row) for all its subscribers: told that something
/// changed, it reads once, one read at a time, and offers each item to every subscriber that wants it. It never waits
/// for a subscriber: each has a buffer of its own.
/// </summary>
internal abstract class FeedReader<TItem>(ILogger logger)
{
    private readonly ConcurrentDictionary<FeedSubscriber<TItem>, byte> subscribers = new();
    private int pumping;
    private int pending;

    /// <summary>Done once the reader knows where it starts; it reads nothing before.</summary>
    public Task Started { get; private set; } = Task.CompletedTask;

    public int Count => subscribers.Count;

    public bool IsEmpty => subscribers.IsEmpty;

    public void Start() => Started = StartAsync();

    public void Add(FeedSubscriber<TItem> subscriber) => subscribers.TryAdd(subscriber, 0);

    public void Remove(FeedSubscriber<TItem> subscriber) => subscribers.TryRemove(subscriber, out _);

    /// <summary>Something may have changed: read now, or right after the read in progress.</summary>
    public void Kick()
    {
        Interlocked.Exchange(ref pending, 1);
        if (Interlocked.CompareExchange(ref pumping, 1, 0) == 0) _ = Task.Run(PumpAsync);
    }

    /// <summary>The cart is archived: its own subscribers end once they have what they were offered.</summary>
    public void Removed(string cartId)
    {
        foreach (var subscriber in subscribers.Keys)
            if (subscriber.EndsWith(cartId)) subscriber.Complete();
    }

    /// <summary>Where the reader starts: what it reads later is offered to the subscribers added by then.</summary>
    protected virtual Task StartAsync() => Task.CompletedTask;

    /// <summary>Reads what is new and offers it through <paramref name="offer"/> (the cart it is about, the item).</summary>
    protected abstract Task ReadAsync(Action<string, TItem> offer);

    private void Offer(string cartId, TItem item)
    {
        foreach (var subscriber in subscribers.Keys)
            if (subscriber.Wants(cartId)) subscriber.Offer(item);
    }

    private async Task PumpAsync()
    {
        try
        {
            await Started;
            while (Interlocked.Exchange(ref pending, 0) == 1) await ReadAsync(Offer);
        }
        catch (Exception e)
        {
            // The next change or reconnection reads again; no subscriber is failed for a passing fault.
            logger.LogWarning(e, "Could not read a change for {Count} subscription(s)", Count);
        }
        finally
        {
            Interlocked.Exchange(ref pumping, 0);
            if (Volatile.Read(ref pending) == 1 && !Started.IsFaulted) Kick();
        }
    }
}
