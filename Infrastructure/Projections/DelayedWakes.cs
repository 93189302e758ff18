using System.Diagnostics;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Wake-ups due later (a processor looking again in a few milliseconds, a retry after a failure), for every processor of
/// the instance, kept in one queue by one loop: no timer and no task per tenant.
/// </summary>
internal sealed class DelayedWakes<T>(Action<T> due)
{
    private readonly PriorityQueue<T, long> queue = new();
    private readonly WakeSignal earlier = new();
    private long turns;

    /// <summary>How many times the loop has looked at the queue (for the specs: it must not spin).</summary>
    public long Turns => Interlocked.Read(ref turns);

    public void Schedule(T item, TimeSpan delay)
    {
        var at = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        bool first;
        lock (queue)
        {
            first = !queue.TryPeek(out _, out var next) || at < next;
            queue.Enqueue(item, at);
        }
        if (first) earlier.Set();
    }

    /// <summary>Hands each item to <c>due</c> when its time comes, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref turns);
            var fired = new List<T>();
            var wait = Timeout.InfiniteTimeSpan;
            lock (queue)
            {
                var now = Stopwatch.GetTimestamp();
                while (queue.TryPeek(out var item, out var at) && at <= now)
                {
                    fired.Add(item);
                    queue.Dequeue();
                }
                // NOTE: rounded up to whole milliseconds: a wait takes whole milliseconds, and one cut short of the
                // wake's time came back at once, again and again until it was due (a spin on a core per wake).
                if (queue.TryPeek(out _, out var next))
                    wait = TimeSpan.FromMilliseconds(Math.Ceiling(Stopwatch.GetElapsedTime(now, next).TotalMilliseconds));
            }
            foreach (var item in fired) due(item);
            try
            {
                await earlier.WaitAsync(wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
