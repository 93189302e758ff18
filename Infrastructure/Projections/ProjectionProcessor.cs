using System.Diagnostics;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Diagnostics;
using CartGraph.Infrastructure.EventStore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Feeds one projection with one tenant's messages, a batch per transaction: read after the cursor (in commit order,
/// below the snapshot's xmin), put each stream's new messages in stream order (<see cref="BatchPlan"/>), apply, move
/// bookmarks and cursor, announce the changes, commit. A message the projection cannot apply parks its stream and the
/// others go on (<see cref="IsolatedApply"/>). It knows no read model; the projection does.
/// </summary>
/// <remarks>
/// It feeds the version of the projection the tenant is served (<see cref="ProjectionVersions"/>), and follows a switch: a
/// batch holds the served version for share, so it commits before a switch or sees the new version and starts over from
/// that version's cursor. Given <paramref name="building"/>, it feeds that version instead, silently (a rebuild's). When the
/// version served is older than the one declared, it says so to <paramref name="olderServed"/> (a deploy that raised it,
/// <see cref="VersionRollout"/>), and goes on feeding the served one.
/// </remarks>
public sealed class ProjectionProcessor(
    PostgresDatabase database,
    IProjection declared,
    TenantId tenant,
    ProjectionOptions options,
    ProcessorStatus status,
    ILogger logger,
    int? building = null,
    Action<int>? olderServed = null)
{
    private ConsumerCursor? cursor;
    private TenantTables? tables;
    private int cursorMoved;
    private readonly IProjection declared = declared;
    private IProjection projection = declared;
    private bool versionKnown;

    public IProjection Projection => projection;
    public TenantId Tenant => tenant;

    /// <summary>The cursor this processor holds (null until read).</summary>
    public ConsumerCursor? Cursor => cursor;

    /// <summary>Someone else may have moved the stored cursor (a rebuild reset it, or switched the version served): the next batch reads both again first.</summary>
    public void CursorMayHaveMoved() => Interlocked.Exchange(ref cursorMoved, 1);

    /// <summary>Which version it feeds: the one given to build, else the one served (written as declared when there is none).</summary>
    private async Task EnsureVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (versionKnown) return;
        var version = building ?? await ProjectionVersions.EnsureServedAsync(connection, declared, tenant, cancellationToken);
        if (version != projection.Version)
            logger.LogInformation("{Projection}/{Tenant}: feeding version {Version}", projection.Name, tenant, version);
        (projection, cursor, versionKnown) = (declared.At(version), null, true);
        if (building is null && version < declared.Version) olderServed?.Invoke(version);
    }

    /// <summary>Processes one batch; returns how many messages it consumed (0: none was ready).</summary>
    /// <remarks>
    /// Five round trips however large the batch: read; lock the cursor with the bookmarks, archived and parked streams;
    /// the projection's own reads; every write with the notifications; commit. A sixth only when a stream's messages do
    /// not follow on from its bookmark, to read them from the store.
    /// </remarks>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        return await database.UsePooledConnectionAsync(connection => ProcessBatchOnAsync(connection, started, cancellationToken), cancellationToken);
    }

    private async Task<int> ProcessBatchOnAsync(NpgsqlConnection connection, long started, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref cursorMoved, 0) == 1) (cursor, versionKnown) = (null, building is not null);
        tables ??= await TenantTables.ResolveAsync(connection, tenant, cancellationToken);
        if (tables is null) return 0; // no tables: the tenant was dropped, nothing is left to read
        try
        {
            await EnsureVersionAsync(connection, cancellationToken);
            return await ProcessBatchAsync(connection, tables, started, cancellationToken);
        }
        catch (PostgresException e) when (TenantTables.AreGone(e))
        {
            logger.LogInformation("{Projection}/{Tenant}: the tenant's tables are gone (dropped); looking for them again", projection.Name, tenant);
            (tables, cursor) = (null, null);
            return 0;
        }
    }

    private async Task<int> ProcessBatchAsync(NpgsqlConnection connection, TenantTables tables, long started, CancellationToken cancellationToken)
    {
        cursor ??= await SubscriptionCheckpoints.EnsureAndReadCursorAsync(connection, projection, tables, cancellationToken);

        // Outside the transaction: an idle poll writes nothing and holds nothing.
        var messages = await EventStore.EventStore.ReadMessagesAsync(connection, tables, cursor, options.BatchSize, cancellationToken);
        if (messages.Count == 0) return 0;

        using var activity = CartGraphTelemetry.Source.StartActivity("projection.batch");
        activity?.SetTag("cartgraph.projection", projection.Name);
        activity?.SetTag("cartgraph.tenant", tenant.Value);
        activity?.SetTag("cartgraph.events", messages.Count);
        Committed? committed;
        try
        {
            committed = await CommitBatchAsync(connection, tables, messages, isolated: false, cancellationToken);
        }
        catch (Exception e) when (PoisonMessage.Is(e))
        {
            logger.LogWarning("{Projection}/{Tenant}: a batch of {Count} message(s) failed ({Error}); applying it stream by stream",
                projection.Name, tenant, messages.Count, PoisonMessage.Describe(e));
            committed = await CommitBatchAsync(connection, tables, messages, isolated: true, cancellationToken);
        }
        if (committed is null) return 0;

        var elapsed = Stopwatch.GetElapsedTime(started);
        var tags = new TagList { { "cartgraph.projection", projection.Name }, { "cartgraph.tenant", tenant.Value } };
        CartGraphTelemetry.ProjectedEvents.Add(messages.Count, tags);
        CartGraphTelemetry.ProjectionBatchDuration.Record(elapsed.TotalSeconds, tags);
        if (committed.Changes > 0 && building is null) CartGraphTelemetry.NotificationsSent.Add(1, new KeyValuePair<string, object?>("cartgraph.channel", ProjectedChanges.Channel));
        status.Update(projection.Name, tenant, s => s with
        {
            Cursor = cursor, LastBatchAt = DateTimeOffset.UtcNow, LastError = null, Parked = s.Parked + committed.Parked,
            LastBatchSize = messages.Count, LastBatchDuration = elapsed, Batches = s.Batches + 1,
        });
        return messages.Count;
    }

    /// <summary>What a committed batch did: how many streams changed, and how many it parked.</summary>
    private sealed record Committed(int Changes, int Parked);

    /// <summary>Applies the batch and moves the cursor past it in one transaction; null when the cursor had moved under us.</summary>
    private async Task<Committed?> CommitBatchAsync(
        NpgsqlConnection connection, TenantTables tables, IReadOnlyList<RecordedMessage> messages, bool isolated, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var checks = await BatchChecks.ReadAsync(connection, projection, tables, messages.Select(m => m.StreamId).Distinct().ToList(),
            followServed: building is null, cancellationToken);

        // Fencing: another version is served now (a rebuild switched): feed that one from its own cursor.
        if (building is null && checks.Served != projection.Version)
        {
            logger.LogInformation("{Projection}/{Tenant}: version {Served} is served now, not {Ours}; feeding it",
                projection.Name, tenant, checks.Served, projection.Version);
            (cursor, versionKnown) = (null, false);
            return null;
        }

        // Fencing: someone else moved the cursor (a rebuild, or an owner we did not know of): start over from theirs.
        if (checks.Cursor != cursor)
        {
            logger.LogInformation("{Projection}/{Tenant}: the cursor moved from {Ours} to {Theirs}; continuing from there",
                projection.Name, tenant, cursor, checks.Cursor);
            cursor = checks.Cursor ?? ConsumerCursor.Start;
            return null;
        }

        var plan = BatchPlan.Of(messages, checks);
        var runs = plan.Runs;
        IReadOnlyList<StreamBlocked> blocked = [];
        if (plan.Gaps.Count > 0)
        {
            var (completed, holes) = plan.Complete(
                await EventStore.EventStore.ReadStreamRangesAsync(connection, tables, plan.Gaps, cancellationToken));
            (runs, blocked) = ([.. runs, .. completed], holes);
        }

        await using var write = new NpgsqlBatch(connection);
        IReadOnlyList<ProjectedChange> changes;
        if (isolated)
        {
            var outcome = await IsolatedApply.ApplyAsync(connection, projection, tables, runs, cancellationToken);
            (changes, blocked) = (outcome.Changes, [.. blocked, .. outcome.Failed]);
            foreach (var passed in outcome.PassedOver)
                logger.LogWarning("{Projection}/{Tenant}: passed over {Stream} position {Position} ({Type}) again, as an operator decided",
                    projection.Name, tenant, passed.StreamId, passed.StreamPosition, passed.MessageType);
        }
        else if (runs.Count > 0)
        {
            var writes = await projection.ApplyAsync(connection, tenant, runs.SelectMany(r => r.Messages).ToList(), cancellationToken);
            foreach (var command in writes.Commands) write.BatchCommands.Add(command);
            write.BatchCommands.Add(SubscriptionCheckpoints.StoreBookmarks(projection, tables, runs.Select(r => r.Messages[^1]).ToList()));
            changes = writes.Changes;
        }
        else changes = [];

        foreach (var stop in blocked)
        {
            foreach (var park in ParkedMessages.Park(projection, tenant, stop.Message, stop.Reason)) write.BatchCommands.Add(park);
            logger.LogWarning("{Projection}/{Tenant}: parked stream {Stream} at position {Position} ({Type}): {Error}. Its later messages wait; "
                              + "every other stream goes on. `parked list` shows it, `parked retry` applies it again, `parked skip` passes over it",
                projection.Name, tenant, stop.Message.StreamId, stop.Message.StreamPosition, stop.Message.MessageType, stop.Reason);
        }
        var next = messages[^1].Cursor;
        write.BatchCommands.Add(SubscriptionCheckpoints.StoreCursor(projection, tables, next));
        if (building is null) // a version being built serves no one yet: its changes are not news
            foreach (var notify in ProjectedChanges.Notifications(projection, tenant, changes)) write.BatchCommands.Add(notify);
        await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        cursor = next;
        if (plan.Waiting > 0)
            logger.LogDebug("{Projection}/{Tenant}: {Count} message(s) of parked streams wait", projection.Name, tenant, plan.Waiting);
        return new Committed(changes.Count, blocked.Count);
    }

    /// <summary>A step failed (a lost connection, say): noted for the status, and the cursor is read again before the next batch.</summary>
    internal void Failed(Exception error)
    {
        status.Update(projection.Name, tenant, s => s with { LastError = error.Message });
        cursor = null;
    }

    /// <summary>
    /// How many messages wait after the cursor (counted up to a limit, readable yet or not), how long the oldest has
    /// waited, and how many streams are parked. It also compares the stored cursor with ours: one another process moved (a
    /// rebuild's reset) is taken over here, so a processor woken by a hint (<see cref="ProcessorHost"/>) notices it.
    /// </summary>
    public Task<(long Events, TimeSpan Time)> MeasureLagAsync(CancellationToken cancellationToken = default) =>
        database.UsePooledConnectionAsync(connection => MeasureLagOnAsync(connection, cancellationToken), cancellationToken);

    private async Task<(long Events, TimeSpan Time)> MeasureLagOnAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref cursorMoved, 0) == 1) (cursor, versionKnown) = (null, building is not null);
        tables ??= await TenantTables.ResolveAsync(connection, tenant, cancellationToken);
        if (tables is null) return (0, TimeSpan.Zero); // dropped: nothing waits
        await EnsureVersionAsync(connection, cancellationToken);
        var from = cursor ?? ConsumerCursor.Start;
        var (stored, parked, lag) = await LagAsync(connection, tables, from, cancellationToken);
        if (stored is not null && stored != from)
        {
            if (cursor is not null)
                logger.LogInformation("{Projection}/{Tenant}: the stored cursor is at {Theirs}, not {Ours}; continuing from there",
                    projection.Name, tenant, stored, from);
            (cursor, from) = (stored, stored);
            (_, parked, lag) = await LagAsync(connection, tables, from, cancellationToken);
        }
        status.Update(projection.Name, tenant, s => s with { Cursor = from, LagEvents = lag.Events, LagTime = lag.Time, Parked = parked });
        if (lag.Events > options.BatchSize)
            logger.LogInformation("{Projection}/{Tenant}: {Events} message(s) behind, the oldest waiting {Seconds:0.0} s",
                projection.Name, tenant, lag.Events, lag.Time.TotalSeconds);
        return lag;
    }

    /// <summary>The stored cursor, the parked streams and the lag after <paramref name="from"/>, in one round trip.</summary>
    private async Task<(ConsumerCursor? Stored, long Parked, (long Events, TimeSpan Time) Lag)> LagAsync(
        NpgsqlConnection connection, TenantTables tables, ConsumerCursor from, CancellationToken cancellationToken)
    {
        const int CountLimit = 1_000_000;
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SubscriptionCheckpoints.Cursor(projection, tables), ParkedMessages.CountWaiting(projection, tenant),
                EventStore.EventStore.BacklogAfter(tables, from, CountLimit),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var stored = await SubscriptionCheckpoints.ReadCursorAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var parked = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var backlog = await EventStore.EventStore.ReadBacklogAsync(reader, cancellationToken);
        return (stored, parked, (backlog.Messages, backlog.Oldest));
    }
}
