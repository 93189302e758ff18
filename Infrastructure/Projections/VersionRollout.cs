using System.Collections.Concurrent;
using System.Threading.Channels;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using Microsoft.Extensions.Logging;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// What a deploy that raises a projection's declared version does on the instances that run it: a processor that finds its
/// tenant served an older version (<see cref="ProjectionProcessor"/>) asks for the declared one, and this builds it in the
/// background beside the served one, one tenant at a time, then switches (<see cref="ProjectionRebuild"/>). Meanwhile every
/// instance, old or new, feeds the served version. Only the tenants of the buckets this instance owns are built here; a
/// bucket handed over stops its build, which its next owner starts again. The rebuild's lock per projection and tenant keeps
/// two builds of a tenant from running at once: one that finds it taken tries again a little later, while it still owns it.
/// An instance whose code declares the served version asks for nothing.
/// </summary>
internal sealed class VersionRollout(PostgresDatabase database, ProjectionOptions options, ILoggerFactory loggers)
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    private readonly ProjectionRebuild rebuild = new(database, options, loggers);
    private readonly ILogger logger = loggers.CreateLogger<VersionRollout>();
    private readonly Channel<(IProjection Projection, TenantId Tenant)> queue = Channel.CreateUnbounded<(IProjection, TenantId)>();
    private readonly ConcurrentDictionary<(string Projection, string Tenant), CancellationTokenSource> wanted = new();

    /// <summary>How many tenants wait for, or are in, a build of their declared version on this instance.</summary>
    public int Pending => wanted.Count;

    /// <summary>A processor of this instance found its tenant served <paramref name="served"/>, older than its projection declares.</summary>
    public void Behind(IProjection declared, TenantId tenant, int served)
    {
        var stop = new CancellationTokenSource();
        if (!wanted.TryAdd((declared.Name, tenant.Value), stop))
        {
            stop.Dispose();
            return;
        }
        logger.LogInformation("{Projection}/{Tenant}: served version {Served}, this instance's code declares {Declared}; building it in the background",
            declared.Name, tenant, served, declared.Version);
        queue.Writer.TryWrite((declared, tenant));
    }

    /// <summary>The tenant's processor stopped here (its bucket was handed over, or the tenant dropped): its build stops.</summary>
    public void Forget(IProjection declared, TenantId tenant)
    {
        if (wanted.TryRemove((declared.Name, tenant.Value), out var stop)) stop.Cancel();
    }

    /// <summary>Builds what was asked for, one tenant at a time, until the host stops.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await foreach (var (projection, tenant) in queue.Reader.ReadAllAsync(stoppingToken))
        {
            if (!wanted.TryGetValue((projection.Name, tenant.Value), out var forget)) continue; // handed over meanwhile
            using var build = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, forget.Token);
            try
            {
                var outcome = await rebuild.BuildDeclaredAsync(projection, tenant, new Progress<RebuildProgress>(), build.Token);
                if (outcome == RebuildOutcome.Busy)
                {
                    logger.LogInformation("{Projection}/{Tenant}: another rebuild of it runs; trying again in {Seconds} s", projection.Name, tenant, Retry.TotalSeconds);
                    _ = RetryAsync(projection, tenant, forget.Token, stoppingToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (build.IsCancellationRequested)
            {
                if (stoppingToken.IsCancellationRequested) break;
                logger.LogInformation("{Projection}/{Tenant}: no longer processed here; its build of version {Version} stopped", projection.Name, tenant, projection.Version);
                continue;
            }
            catch (Exception e)
            {
                logger.LogWarning("{Projection}/{Tenant}: the build of version {Version} failed ({Error}); trying again in {Seconds} s",
                    projection.Name, tenant, projection.Version, e.Message, Retry.TotalSeconds);
                _ = RetryAsync(projection, tenant, forget.Token, stoppingToken);
                continue;
            }
            if (wanted.TryRemove(new((projection.Name, tenant.Value), forget))) forget.Dispose();
        }
    }

    private async Task RetryAsync(IProjection projection, TenantId tenant, CancellationToken forgotten, CancellationToken stoppingToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(forgotten, stoppingToken);
        try
        {
            await Task.Delay(Retry, either.Token);
            queue.Writer.TryWrite((projection, tenant));
        }
        catch (OperationCanceledException)
        {
            // handed over or stopping: nothing to retry here
        }
    }
}
