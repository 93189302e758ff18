namespace CartGraph.Infrastructure.Projections;

/// <summary>An awaitable auto-reset flag: any number of <see cref="Set"/> calls wake one waiter once.</summary>
internal sealed class WakeSignal
{
    private readonly SemaphoreSlim semaphore = new(0, 1);

    public void Set()
    {
        try
        {
            if (semaphore.CurrentCount == 0) semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: the waiter wakes once either way.
        }
    }

    /// <summary>True when woken, false when the timeout passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        semaphore.WaitAsync(timeout, cancellationToken);
}
