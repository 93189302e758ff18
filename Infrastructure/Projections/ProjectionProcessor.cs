using System.Diagnostics;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Diagnostics;
using CartGraph.Infrastructure.EventStore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Feeds one projection with one tenant's messages, a batch per transaction: read after the cursor (in commit
/// order, below the snapshot's xmin), skip what stream bookmarks have seen, apply, move bookmarks and cursor,
/// announce the changes, commit. It knows no read model; the projection does.
/// </summary>
public sealed class ProjectionProcessor(
    PostgresDatabase database,
    IProjection projection,
    TenantId tenant,
    ProjectionOptions options,
    ProcessorStatus status,
    ILogger logger)
{
    private ConsumerCursor? cursor;

    public IProjection Projection => projection;
    public TenantId Tenant => tenant;

    /// <summary>Processes one batch; returns how many messages it consumed (0: none was ready).</summary>
    /// <remarks>
    /// Five round trips however large the batch: read; lock the cursor with the bookmarks and archived streams;
    /// the projection's own reads; every write with the notifications; commit.
    /// </remarks>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        cursor ??= await SubscriptionCheckpoints.EnsureAndReadCursorAsync(connection, projection, tenant, cancellationToken);

        // Outside the transaction: an idle poll writes nothing and holds nothing.
        var messages = await EventStore.EventStore.ReadMessagesAsync(connection, tenant, cursor, options.BatchSize, cancellationToken);
        if (messages.Count == 0) return 0;

        using var activity = CartGraphTelemetry.Source.StartActivity("projection.batch");
        activity?.SetTag("cartgraph.projection", projection.Name);
        activity?.SetTag("cartgraph.tenant", tenant.Value);
        activity?.SetTag("cartgraph.events", messages.Count);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var streams = messages.Select(m => m.StreamId).Distinct().ToList();
        ConsumerCursor? stored;
        Dictionary<string, long> bookmarks;
        System.Collections.Generic.HashSet<string> archived;
        await using (var checks = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // NOTE: a read model is derived data. Committing a batch without waiting for its WAL flush keeps the disk
                // off the lag; a crash can only lose whole batches, rows and cursor together, which are then replayed.
                new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"),
                SubscriptionCheckpoints.LockCursor(projection, tenant),
                SubscriptionCheckpoints.Bookmarks(projection, tenant, streams),
                Archived(streams),
            },
        })
        {
            // NOTE: Npgsql's reader starts at the first statement that returns rows; SET returns none.
            await using var reader = await checks.ExecuteReaderAsync(cancellationToken);
            stored = await SubscriptionCheckpoints.ReadCursorAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            bookmarks = await SubscriptionCheckpoints.ReadBookmarksAsync(reader, projection, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            archived = [];
            while (await reader.ReadAsync(cancellationToken)) archived.Add(reader.GetString(0));
        }

        // Fencing: someone else moved the cursor (a rebuild, or an owner we did not know of): start over from theirs.
        if (stored != cursor)
        {
            logger.LogInformation("{Projection}/{Tenant}: the cursor moved from {Ours} to {Theirs}; continuing from there",
                projection.Name, tenant, cursor, stored);
            cursor = stored ?? ConsumerCursor.Start;
            return 0;
        }

        var fresh = messages
            .Where(m => m.StreamPosition > bookmarks.GetValueOrDefault(m.StreamId) && !archived.Contains(m.StreamId))
            .ToList();
        var writes = fresh.Count > 0 ? await projection.ApplyAsync(connection, tenant, fresh, cancellationToken) : ProjectionWrites.None;
        var lastPerStream = fresh.GroupBy(m => m.StreamId).Select(g => g.MaxBy(m => m.StreamPosition)!).ToList();
        var next = messages[^1].Cursor;
        await using (var write = new NpgsqlBatch(connection))
        {
            foreach (var command in writes.Commands) write.BatchCommands.Add(command);
            if (lastPerStream.Count > 0) write.BatchCommands.Add(SubscriptionCheckpoints.StoreBookmarks(projection, tenant, lastPerStream));
            write.BatchCommands.Add(SubscriptionCheckpoints.StoreCursor(projection, tenant, next));
            foreach (var notify in ProjectedChanges.Notifications(projection, tenant, writes.Changes)) write.BatchCommands.Add(notify);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);

        cursor = next;
        var elapsed = Stopwatch.GetElapsedTime(started);
        var tags = new TagList { { "cartgraph.projection", projection.Name }, { "cartgraph.tenant", tenant.Value } };
        CartGraphTelemetry.ProjectedEvents.Add(messages.Count, tags);
        CartGraphTelemetry.ProjectionBatchDuration.Record(elapsed.TotalSeconds, tags);
        if (writes.Changes.Count > 0) CartGraphTelemetry.NotificationsSent.Add(1, new KeyValuePair<string, object?>("cartgraph.channel", ProjectedChanges.Channel));
        status.Update(projection.Name, tenant, s => s with
        {
            Cursor = next, LastBatchAt = DateTimeOffset.UtcNow, LastError = null,
            LastBatchSize = messages.Count, LastBatchDuration = elapsed, Batches = s.Batches + 1,
        });
        if (fresh.Count < messages.Count)
            logger.LogInformation("{Projection}/{Tenant}: skipped {Count} message(s) already applied or archived",
                projection.Name, tenant, messages.Count - fresh.Count);
        return messages.Count;
    }

    /// <summary>
    /// Processes until cancelled: straight on while batches are full, then waits for a wake-up or the poll interval.
    /// The batch in flight when cancellation comes is finished and committed, never abandoned half way.
    /// </summary>
    internal async Task RunAsync(WakeSignal wake, CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        var eagerUntil = 0L;
        var nextLagCheck = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var consumed = await ProcessBatchAsync(CancellationToken.None);
                backoff = TimeSpan.Zero;
                if (Stopwatch.GetTimestamp() > nextLagCheck)
                {
                    await MeasureLagAsync(stoppingToken);
                    nextLagCheck = Stopwatch.GetTimestamp() + (long)(options.LagInterval.TotalSeconds * Stopwatch.Frequency);
                }
                if (consumed > 0) continue;
                if (Stopwatch.GetTimestamp() < eagerUntil)
                {
                    // Woken, yet nothing readable: an older transaction still holds the snapshot's xmin back. Look again soon.
                    await Task.Delay(TimeSpan.FromMilliseconds(2), stoppingToken);
                    continue;
                }
                if (await wake.WaitAsync(options.PollInterval, stoppingToken))
                    eagerUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                backoff = TimeSpan.FromMilliseconds(Math.Clamp(backoff.TotalMilliseconds * 2, 100, 10_000));
                logger.LogError(e, "{Projection}/{Tenant}: batch failed; retrying in {Backoff}", projection.Name, tenant, backoff);
                status.Update(projection.Name, tenant, s => s with { LastError = e.Message });
                cursor = null;
                try
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Takes the stored cursor again, e.g. after another process reset it.</summary>
    public async Task ReloadCursorAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        cursor = await SubscriptionCheckpoints.EnsureAndReadCursorAsync(connection, projection, tenant, cancellationToken);
    }

    /// <summary>How many messages wait after the cursor (counted up to a limit), and how long the oldest has waited.</summary>
    public async Task<(long Events, TimeSpan Time)> MeasureLagAsync(CancellationToken cancellationToken = default)
    {
        const int CountLimit = 1_000_000;
        var from = cursor ?? ConsumerCursor.Start;
        await using var command = database.Commands.CreateCommand("""
            SELECT count(*), coalesce(now() - min(created), interval '0')
              FROM (SELECT created FROM emt_messages
                     WHERE partition = $1 AND is_archived = FALSE AND (transaction_id, global_position) > ($2, $3)
                     LIMIT $4) waiting
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<ulong> { NpgsqlDbType = NpgsqlDbType.Xid8, TypedValue = from.TransactionId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.GlobalPosition });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CountLimit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var lag = (reader.GetInt64(0), reader.GetTimeSpan(1));
        status.Update(projection.Name, tenant, s => s with { Cursor = from, LagEvents = lag.Item1, LagTime = lag.Item2 });
        if (lag.Item1 > options.BatchSize)
            logger.LogInformation("{Projection}/{Tenant}: {Events} message(s) behind, the oldest waiting {Seconds:0.0} s",
                projection.Name, tenant, lag.Item1, lag.Item2.TotalSeconds);
        return lag;
    }

    /// <summary>
    /// Streams of the batch archived since it was read. Once the cursor is locked no archive can commit
    /// (<see cref="StreamArchiver"/> takes the same lock), so what is not archived now will not be before we commit.
    /// </summary>
    private NpgsqlBatchCommand Archived(IReadOnlyCollection<string> streams) => new(
        "SELECT stream_id FROM emt_streams WHERE partition = $1 AND is_archived = TRUE AND stream_id = ANY($2)")
    {
        Parameters =
        {
            new NpgsqlParameter<string> { TypedValue = tenant.Value },
            new NpgsqlParameter<string[]> { TypedValue = streams.ToArray() },
        },
    };
}
