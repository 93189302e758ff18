using System.Threading.Channels;
using GraphQL;

namespace CartGraph.Api.Realtime;

/// <summary>
/// One subscription of a shared feed: the feed's reader offers it each item without ever waiting, into a bounded buffer
/// of its own, and a pump of its own hands the items to its observer. A subscriber whose buffer is full when an item
/// comes is too slow: it gets what its buffer holds, then an error that says so, and nobody else waits for it.
/// </summary>
/// <remarks>
/// A subscriber that starts by reading the store (<see cref="CatchUpAsync"/>) only keeps what its buffer can hold
/// meanwhile: an item that did not fit is in the store, so it reads the store again before it goes live.
/// </remarks>
internal abstract class FeedSubscriber<TItem>(int capacity, bool catchesUp) : IAttachable, IDisposable
{
    public const string TooSlowCode = "SUBSCRIBER_TOO_SLOW";

    private readonly Channel<TItem> buffer = Channel.CreateBounded<TItem>(new BoundedChannelOptions(capacity) { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private bool catchingUp = catchesUp;
    private bool missed;
    private IObserver<object?>? observer;

    /// <summary>Whether items about <paramref name="cartId"/> are for it.</summary>
    public abstract bool Wants(string cartId);

    /// <summary>Whether it ends when <paramref name="removedCartId"/> is archived: it watches that cart alone.</summary>
    public abstract bool EndsWith(string removedCartId);

    /// <summary>Takes an item if its buffer has room; never waits.</summary>
    public void Offer(TItem item)
    {
        if (buffer.Writer.TryWrite(item)) return;
        lock (gate)
        {
            if (catchingUp)
            {
                missed = true;
                return;
            }
        }
        buffer.Writer.TryComplete(new ExecutionError(
            $"This subscriber was too slow: {capacity} events waited for it. Subscribe again (with the last cursor received, to miss nothing).")
        {
            Code = TooSlowCode,
        });
    }

    /// <summary>Ends the subscription once what its buffer holds is delivered.</summary>
    public void Complete() => buffer.Writer.TryComplete();

    /// <inheritdoc/> <paramref name="subscriber"/>: what the store holds first, if it catches up, then the feed.</summary>
    public void Attach(IObserver<object?> subscriber)
    {
        observer = subscriber;
        _ = Task.Run(PumpAsync);
    }

    /// <summary>What it keeps of an item, and how it shows it; null to skip it (not for it, or delivered already).</summary>
    protected abstract object? Admit(TItem item);

    /// <summary>Pushes what the store holds that the feed will not bring.</summary>
    protected virtual Task CatchUpAsync(Action<object?> push, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task PumpAsync()
    {
        var push = (object? value) => observer!.OnNext(value);
        try
        {
            while (Volatile.Read(ref catchingUp))
            {
                await CatchUpAsync(push, stopping.Token);
                lock (gate)
                {
                    if (!missed) catchingUp = false;
                    missed = false;
                }
                // Something did not fit meanwhile: all of it is in the store, read after what was pushed.
                if (Volatile.Read(ref catchingUp))
                    while (buffer.Reader.TryRead(out _)) { }
            }
            // NOTE: no token: a wait given one registers on it every time, once per item here; Dispose completes the buffer.
            while (await buffer.Reader.WaitToReadAsync())
                while (buffer.Reader.TryRead(out var item))
                {
                    if (stopping.IsCancellationRequested) return;
                    if (Admit(item) is { } value) push(value);
                }
            if (!stopping.IsCancellationRequested) observer!.OnCompleted();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Unsubscribed.
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            observer!.OnError(e is ChannelClosedException { InnerException: { } reason } ? reason : e);
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        buffer.Writer.TryComplete();
    }
}

/// <summary>A subscription that delivers once it has its observer.</summary>
internal interface IAttachable
{
    /// <summary>Starts delivering to <paramref name="subscriber"/>: what the store holds first, if it catches up, then the feed.</summary>
    void Attach(IObserver<object?> subscriber);
}
