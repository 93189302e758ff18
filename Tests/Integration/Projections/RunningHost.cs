using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>An instance's background machinery, as the API runs it: listener, append notifier, processor host.</summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();

    private RunningHost(StoreDatabase db, ProjectionOptions options, bool hearNotifications, IProjection projection)
    {
        Status = new ProcessorStatus();
        Listener = new PostgresListener(db.Postgres, ProjectionChannels.All);
        Notifier = new AppendNotifier(db.Postgres, db.Store);
        Host = new ProcessorHost(db.Postgres, new TenantActivity(db.Postgres), [projection], options, Status, db.Store,
            hearNotifications ? Listener : null, NullLoggerFactory.Instance);
    }

    public ProcessorStatus Status { get; }
    public PostgresListener Listener { get; }
    public AppendNotifier Notifier { get; }
    public ProcessorHost Host { get; }

    /// <param name="hearNotifications">False: the processors hear of nothing another process notifies, as while the listening connection is down.</param>
    /// <param name="projection">The carts projection as this instance's code declares it (today's when not given).</param>
    public static async Task<RunningHost> StartAsync(
        StoreDatabase db, ProjectionOptions? options = null, bool hearNotifications = true, IProjection? projection = null)
    {
        var host = new RunningHost(db, options ?? new ProjectionOptions { OwnershipInterval = TimeSpan.FromMilliseconds(300) }, hearNotifications,
            projection ?? Carts.Projection);
        await host.Listener.StartAsync(host.stop.Token);
        await host.Notifier.StartAsync(host.stop.Token);
        await host.Host.StartAsync(host.stop.Token);
        return host;
    }

    private bool stopped;

    /// <summary>Stops the instance (once; disposing it later does nothing more).</summary>
    public async Task StopAsync()
    {
        if (stopped) return;
        stopped = true;
        await Host.StopAsync(CancellationToken.None);
        await Notifier.StopAsync(CancellationToken.None);
        await Listener.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }
}
