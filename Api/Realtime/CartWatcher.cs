using CartGraph.Domain.Values;

namespace CartGraph.Api.Realtime;

/// <summary>
/// One live subscription: told that its tenant's carts changed, it fetches what is new and pushes it to its
/// observer, one pump at a time so that its observer sees changes in order and never two at once.
/// </summary>
internal abstract class CartWatcher(TenantId tenant, string? cartId, ILogger logger) : IDisposable
{
    private IObserver<object?>? observer;
    private int pumping;
    private int pending;
    private volatile bool disposed;

    public TenantId Tenant { get; } = tenant;

    /// <summary>The one cart watched, or null for every cart of the tenant.</summary>
    public string? CartId { get; } = cartId;

    public bool Wants(string changedCartId) => CartId is null || CartId == changedCartId;

    /// <summary>Starts pushing to <paramref name="subscriber"/>, beginning with anything that changed since the start.</summary>
    public void Attach(IObserver<object?> subscriber)
    {
        observer = subscriber;
        Kick();
    }

    /// <summary>Something may have changed: fetch and push, now or right after the pump in progress.</summary>
    public void Kick(string? removedCartId = null)
    {
        if (removedCartId is not null && removedCartId == CartId)
        {
            Complete();
            return;
        }
        Interlocked.Exchange(ref pending, 1);
        if (observer is not null && Interlocked.CompareExchange(ref pumping, 1, 0) == 0) _ = Task.Run(PumpAsync);
    }

    /// <summary>Sets the starting point: what exists now is not news.</summary>
    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Fetches what is new since the last push and pushes it.</summary>
    protected abstract Task FetchAndPushAsync(Action<object?> push, CancellationToken cancellationToken);

    private async Task PumpAsync()
    {
        try
        {
            while (!disposed && Interlocked.Exchange(ref pending, 0) == 1)
                await FetchAndPushAsync(value => { if (!disposed) observer!.OnNext(value); }, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The next change or reconnection tries again; the subscriber is not failed for a passing fault.
            logger.LogWarning(e, "Could not fetch a change for a subscription of tenant {Tenant}", Tenant);
        }
        finally
        {
            Interlocked.Exchange(ref pumping, 0);
            if (!disposed && Volatile.Read(ref pending) == 1) Kick();
        }
    }

    private void Complete()
    {
        if (disposed) return;
        observer?.OnCompleted();
        Dispose();
    }

    public virtual void Dispose() => disposed = true;
}
