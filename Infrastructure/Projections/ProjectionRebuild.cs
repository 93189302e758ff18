using System.Diagnostics;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Diagnostics;
using CartGraph.Infrastructure.EventStore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>How far a rebuild of one tenant has come.</summary>
public sealed record RebuildProgress(string Projection, string Tenant, long Done, long Total);

/// <summary>What a rebuild of one tenant did: switched to the version it built, had nothing to build, or found another running.</summary>
public enum RebuildOutcome { Switched, Nothing, Busy }

/// <summary>
/// Blue/green: builds the next version of a projection for some tenants, from the start, in rows of its own, while the
/// version served keeps serving queries and live changes. Once the new version has every message the served one has,
/// it becomes the one served and the old one's rows, cursor and bookmarks go, in one transaction that holds the served
/// version (<see cref="ProjectionVersions"/>): a live batch commits before it, and one after it feeds the new version
/// from the new cursor, so nothing is lost at the switch and no query sees a cart missing or older.
/// </summary>
public sealed class ProjectionRebuild(
    PostgresDatabase database,
    ProjectionOptions options,
    ILoggerFactory? loggers = null)
{
    private readonly ILogger logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<ProjectionRebuild>();

    public async Task RunAsync(
        IProjection projection, IReadOnlyList<TenantId> tenants, IProgress<RebuildProgress> progress, CancellationToken cancellationToken = default)
    {
        foreach (var tenant in tenants)
            if (await BuildAsync(projection, tenant, progress, served => Math.Max(served + 1, projection.Version), cancellationToken) == RebuildOutcome.Busy)
                throw new InvalidOperationException($"A rebuild of {projection.Name} for tenant {tenant} is already running.");
    }

    /// <summary>
    /// Builds the version the projection declares for a tenant served an older one, and switches (a deploy that raised the
    /// version, <see cref="VersionRollout"/>); nothing when it is served already, or when another rebuild of it runs.
    /// </summary>
    public Task<RebuildOutcome> BuildDeclaredAsync(
        IProjection projection, TenantId tenant, IProgress<RebuildProgress> progress, CancellationToken cancellationToken) =>
        BuildAsync(projection, tenant, progress, served => served < projection.Version ? projection.Version : null, cancellationToken);

    private async Task<RebuildOutcome> BuildAsync(
        IProjection projection, TenantId tenant, IProgress<RebuildProgress> progress, Func<int, int?> targetOf, CancellationToken cancellationToken)
    {
        await using var connection = await database.Dedicated.OpenConnectionAsync(cancellationToken);
        if (await TenantTables.ResolveAsync(connection, tenant, cancellationToken) is not { } tables)
        {
            progress.Report(new RebuildProgress(projection.Name, tenant.Value, 0, 0)); // no tables: nothing to replay
            return RebuildOutcome.Nothing;
        }
        if (!await TryLockAsync(connection, projection, tenant, cancellationToken)) return RebuildOutcome.Busy;

        var served = await ProjectionVersions.EnsureServedAsync(connection, projection, tenant, cancellationToken);
        if (targetOf(served) is not { } version) return RebuildOutcome.Nothing;
        var total = await EventStore.EventStore.CountMessagesAsync(connection, tables, cancellationToken);
        var target = projection.At(version);
        await StartAsync(connection, target, tables, served, cancellationToken);
        logger.LogInformation("{Projection}/{Tenant}: building version {Target} beside version {Served} ({Total} message(s))",
            projection.Name, tenant, target.Version, served, total);
        progress.Report(new RebuildProgress(projection.Name, tenant.Value, 0, total));

        var processor = new ProjectionProcessor(database, projection, tenant, options, new ProcessorStatus(), logger, building: target.Version);
        var tags = new TagList { { "cartgraph.projection", projection.Name }, { "cartgraph.tenant", tenant.Value }, { "cartgraph.version", target.Version } };
        var (started, done, lastLog) = (Stopwatch.GetTimestamp(), 0L, Stopwatch.GetTimestamp());
        while (true)
        {
            var consumed = await processor.ProcessBatchAsync(cancellationToken);
            done += consumed;
            CartGraphTelemetry.RebuiltEvents.Add(consumed, tags);
            progress.Report(new RebuildProgress(projection.Name, tenant.Value, done, Math.Max(total, done)));
            if (Stopwatch.GetElapsedTime(lastLog) > TimeSpan.FromSeconds(5))
            {
                logger.LogInformation("{Projection}/{Tenant}: version {Target} at {Done} of {Total} message(s)", projection.Name, tenant, target.Version, done, total);
                lastLog = Stopwatch.GetTimestamp();
            }
            if (consumed > 0) continue;
            if ((await processor.MeasureLagAsync(cancellationToken)).Events == 0
                && await TrySwitchAsync(connection, projection, target, tables, served, processor.Cursor ?? ConsumerCursor.Start, cancellationToken))
                break;
            await Task.Delay(20, cancellationToken); // what is left waits behind a transaction still open, or came meanwhile
        }
        CartGraphTelemetry.VersionSwitches.Add(1, tags);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        logger.LogInformation("{Projection}/{Tenant}: version {Target} is served now ({Done} message(s) in {Seconds:0.0} s, {Rate:0} a second); version {Served} dropped",
            projection.Name, tenant, target.Version, done, seconds, done / Math.Max(seconds, 0.001), served);
        return RebuildOutcome.Switched;
    }

    /// <summary>One rebuild per projection and tenant at a time (a session lock, released with the connection).</summary>
    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"cartgraph-rebuild:{projection.Name}:{tenant.Value}" });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The version to build starts empty: no rows, cursor, bookmark or parked stream left of an earlier attempt.</summary>
    private static async Task StartAsync(NpgsqlConnection connection, IProjection target, TenantTables tables, int served, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await target.ResetAsync(connection, tables.Tenant, ct);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SubscriptionCheckpoints.DeleteVersion(target, tables) } };
        foreach (var command in ParkedMessages.StartVersion(target, tables.Tenant, served)) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Serves the new version if, with the served one held, nothing is left after the new version's cursor; false when
    /// something is (it came meanwhile), to be built first.
    /// </summary>
    private async Task<bool> TrySwitchAsync(
        NpgsqlConnection connection, IProjection projection, IProjection target, TenantTables tables, int served, ConsumerCursor built, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var current = await ProjectionVersions.LockServedAsync(connection, projection, tables.Tenant, ct);
        if (current != served)
            throw new InvalidOperationException($"{projection.Name}/{tables.Tenant}: version {current} was served meanwhile, not {served}; rebuild again.");
        await using (var backlog = new NpgsqlBatch(connection) { BatchCommands = { EventStore.EventStore.BacklogAfter(tables, built, 1) } })
        await using (var reader = await backlog.ExecuteReaderAsync(ct))
            if ((await EventStore.EventStore.ReadBacklogAsync(reader, ct)).Messages > 0) return false; // rolled back on dispose

        var old = projection.At(served);
        await old.ResetAsync(connection, tables.Tenant, ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                ProjectionVersions.Serve(projection, tables.Tenant, target.Version),
                SubscriptionCheckpoints.DeleteVersion(old, tables),
                ParkedMessages.ForgetVersion(old, tables.Tenant),
                new NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = SubscriptionCheckpoints.ResetChannel },
                        new NpgsqlParameter<string> { TypedValue = tables.Tenant.Value },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
