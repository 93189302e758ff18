namespace CartGraph.Api.Hosting;

/// <summary>
/// Every background service of the instance is one it cannot work without: the notification listener, the append
/// notifier, the processor host. Each retries what is transient in place (a lost connection, a timeout); one that ends
/// while the host is not stopping, with an exception or without, has stopped for good, and the instance with it.
/// </summary>
/// <remarks>
/// Registered after them, so that it starts once they all run; the host is told to ignore their failures
/// (<see cref="BackgroundServiceExceptionBehavior.Ignore"/>), so that this is the one place that decides.
/// </remarks>
public sealed class RequiredServices(IServiceProvider services, IHostApplicationLifetime lifetime, FatalFailures failures)
    : IHostedService, IDisposable
{
    private volatile bool disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var service in services.GetServices<IHostedService>().OfType<BackgroundService>())
            if (service.ExecuteTask is { } running)
                _ = running.ContinueWith(ended => Ended(service, ended), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Ended(BackgroundService service, Task ended)
    {
        // Stopping, or disposed without being stopped (an embedding host, a test): an end, not a failure.
        if (disposed || lifetime.ApplicationStopping.IsCancellationRequested) return;
        var name = service.GetType().Name;
        if (ended.Exception?.GetBaseException() is { } error)
            failures.Fail($"{name} failed for good ({error.GetType().Name}: {error.Message})", error);
        else
            failures.Fail($"{name} stopped on its own");
    }

    public void Dispose() => disposed = true;
}
