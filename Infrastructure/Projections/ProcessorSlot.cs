using System.Diagnostics;

namespace CartGraph.Infrastructure.Projections;

/// <summary>What a processor's next step starts with: a look at its backlog first (a hint), or a read straight away (news).</summary>
internal enum Work
{
    /// <summary>Something may have changed (its cursor reset, a writer that announced nothing): measure first, read only if there is anything.</summary>
    Check,

    /// <summary>Messages were announced, or the last batch found some: read.</summary>
    Read,
}

/// <summary>What a step asks for next: nothing until woken, another turn now, or one after a delay.</summary>
internal readonly record struct NextStep(Work? Work, TimeSpan Delay)
{
    public static readonly NextStep Idle = new(null, TimeSpan.Zero);
    public static readonly NextStep Now = new(Projections.Work.Read, TimeSpan.Zero);
    public static NextStep After(TimeSpan delay) => new(Projections.Work.Read, delay);
}

/// <summary>
/// One processor's turn-taking in the shared scheduler: idle (no work known), queued, running one step, or due again
/// after a delay; at most one step at a time. A wake-up while a step runs is kept for right after it.
/// </summary>
internal sealed class ProcessorSlot(ProjectionProcessor processor)
{
    private enum State { Idle, Queued, Running, Delayed }

    private readonly Lock gate = new();
    private State state;
    private Work requested;
    private bool wokenWhileRunning;
    private int version;
    private bool removed;
    private TaskCompletionSource? running;
    private long eagerUntil;
    private int eagerSteps;
    private long nextLagAt;

    public ProjectionProcessor Processor => processor;

    /// <summary>How long a processor keeps looking after announced messages, e.g. for an older transaction to end.</summary>
    private static readonly TimeSpan EagerWindow = TimeSpan.FromSeconds(1);

    /// <summary>Asks for a step; true when the caller must queue the slot now.</summary>
    public bool Wake(Work work, bool announced = false)
    {
        lock (gate)
        {
            if (removed) return false;
            if (announced) (eagerUntil, eagerSteps) = (Stopwatch.GetTimestamp() + Ticks(EagerWindow), 0);
            if (work > requested) requested = work;
            switch (state)
            {
                case State.Running:
                    wokenWhileRunning = true;
                    return false;
                case State.Queued:
                    return false;
                default:
                    (state, version) = (State.Queued, version + 1); // a delayed wake-up still pending is void
                    return true;
            }
        }
    }

    /// <summary>A delayed wake-up came due: true when it still holds (nothing woke or removed the slot since).</summary>
    public bool Due(int scheduled)
    {
        lock (gate)
        {
            if (removed || state != State.Delayed || scheduled != version) return false;
            (state, requested) = (State.Queued, Work.Read);
            return true;
        }
    }

    /// <summary>Takes the slot off the queue to run a step; null when it was removed meanwhile.</summary>
    public Work? Start()
    {
        lock (gate)
        {
            if (removed || state != State.Queued) return null;
            var work = requested;
            (state, requested, wokenWhileRunning, running) = (State.Running, Work.Check, false, new TaskCompletionSource());
            return work;
        }
    }

    /// <summary>Ends a step: whether to queue again now, when to come back (with the version to check then), or neither.</summary>
    public (bool Queue, TimeSpan? Delay, int Version) Finish(NextStep next)
    {
        lock (gate)
        {
            running?.TrySetResult();
            running = null;
            if (removed) return (false, null, version);
            if (wokenWhileRunning || next == NextStep.Now)
            {
                if (next.Work > requested) requested = next.Work.Value;
                state = State.Queued;
                return (true, null, version);
            }
            if (next.Work is null)
            {
                state = State.Idle;
                return (false, null, version);
            }
            (state, version) = (State.Delayed, version + 1);
            return (false, next.Delay, version);
        }
    }

    /// <summary>No further step; waits for the one running to commit.</summary>
    public Task RemoveAsync()
    {
        lock (gate)
        {
            removed = true;
            return running?.Task ?? Task.CompletedTask;
        }
    }

    /// <summary>Within the window after announced messages: how long to wait before the next look (2, 4, 8 ms, then 8).</summary>
    public TimeSpan? EagerDelay()
    {
        lock (gate)
        {
            if (Stopwatch.GetTimestamp() >= eagerUntil) return null;
            return TimeSpan.FromMilliseconds(Math.Min(2 << Math.Min(eagerSteps++, 8), 8));
        }
    }

    /// <summary>Whether the lag is due to be measured again: at most every <see cref="ProjectionOptions.LagInterval"/> while there is work.</summary>
    public bool LagDue => Stopwatch.GetTimestamp() >= Volatile.Read(ref nextLagAt);

    public void LagMeasured(TimeSpan interval) => Volatile.Write(ref nextLagAt, Stopwatch.GetTimestamp() + Ticks(interval));

    /// <summary>How long to wait after the last failed step (only the running step reads or sets it).</summary>
    public TimeSpan Backoff { get; set; }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
