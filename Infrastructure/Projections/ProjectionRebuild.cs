using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Infrastructure.Projections;

/// <summary>How far a rebuild of one tenant has come.</summary>
public sealed record RebuildProgress(string Projection, string Tenant, long Done, long Total);

/// <summary>
/// Replays a projection from the start for some tenants. Resetting waits for a batch in flight; then the replay runs here
/// when no instance owns the tenant's bucket (held meanwhile), or is left to the owner (told by the reset's notification,
/// or by its sweep) while this follows its progress. Messages appended meanwhile are simply later in the same replay, so
/// no live update is lost.
/// </summary>
public sealed class ProjectionRebuild(
    PostgresDatabase database,
    ProjectionOptions options,
    ILoggerFactory? loggers = null)
{
    private readonly ILoggerFactory loggers = loggers ?? NullLoggerFactory.Instance;

    public async Task RunAsync(
        IProjection projection, IReadOnlyList<TenantId> tenants, IProgress<RebuildProgress> progress, CancellationToken cancellationToken = default)
    {
        foreach (var tenant in tenants)
        {
            if (await ResetAsync(projection, tenant, cancellationToken) is not { } total)
            {
                progress.Report(new RebuildProgress(projection.Name, tenant.Value, 0, 0)); // no tables: nothing to replay
                continue;
            }
            progress.Report(new RebuildProgress(projection.Name, tenant.Value, 0, total));

            await using var locks = await database.Dedicated.OpenConnectionAsync(cancellationToken);
            var processor = new ProjectionProcessor(database, projection, tenant, options, new ProcessorStatus(),
                loggers.CreateLogger<ProjectionProcessor>());
            var bucket = ProcessorBuckets.Of(tenant);
            if ((await BucketLocks.TryAcquireAsync(locks, [bucket], cancellationToken)).Count == 1)
            {
                var done = 0L;
                while (true)
                {
                    var consumed = await processor.ProcessBatchAsync(cancellationToken);
                    done += consumed;
                    progress.Report(new RebuildProgress(projection.Name, tenant.Value, done, Math.Max(total, done)));
                    if (consumed > 0) continue;
                    if ((await processor.MeasureLagAsync(cancellationToken)).Events == 0) break;
                    await Task.Delay(20, cancellationToken); // what is left waits behind a transaction still open
                }
                await BucketLocks.ReleaseAsync(locks, [bucket], cancellationToken);
            }
            else
            {
                // Another instance owns it and replays; follow its cursor until it has caught up.
                while (true)
                {
                    var (left, _) = await processor.MeasureLagAsync(cancellationToken);
                    progress.Report(new RebuildProgress(projection.Name, tenant.Value, Math.Max(0, total - left), total));
                    if (left == 0) break;
                    await Task.Delay(200, cancellationToken); // the lag is measured after the stored cursor, moved by the owner
                }
            }
        }
    }

    /// <summary>Resets the projection for the tenant and tells how many messages the replay reads; null when the tenant has no tables.</summary>
    private async Task<long?> ResetAsync(IProjection projection, TenantId tenant, CancellationToken cancellationToken)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        if (await TenantTables.ResolveAsync(connection, tenant, cancellationToken) is not { } tables) return null;
        var total = await EventStore.EventStore.CountMessagesAsync(connection, tables, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SubscriptionCheckpoints.ResetAsync(connection, projection, tables, cancellationToken);
        await projection.ResetAsync(connection, tenant, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return total;
    }
}
