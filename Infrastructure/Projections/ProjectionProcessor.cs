using System.Diagnostics;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
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
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        if (cursor is null)
        {
            await SubscriptionCheckpoints.EnsureCursorAsync(connection, projection, tenant, cancellationToken);
            cursor = await SubscriptionCheckpoints.ReadCursorAsync(connection, projection, tenant, cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var messages = await EventStore.EventStore.ReadMessagesAsync(connection, tenant, cursor, options.BatchSize, cancellationToken);
        if (messages.Count == 0) return 0;

        // Fencing: someone else moved the cursor (a rebuild, or an owner we did not know of): start over from theirs.
        var stored = await SubscriptionCheckpoints.LockCursorAsync(connection, projection, tenant, cancellationToken);
        if (stored != cursor)
        {
            logger.LogInformation("{Projection}/{Tenant}: the cursor moved from {Ours} to {Theirs}; continuing from there",
                projection.Name, tenant, cursor, stored);
            cursor = stored ?? ConsumerCursor.Start;
            return 0;
        }

        var streams = messages.Select(m => m.StreamId).Distinct().ToList();
        var bookmarks = await SubscriptionCheckpoints.LoadBookmarksAsync(connection, projection, tenant, streams, cancellationToken);
        var archived = await ArchivedAsync(connection, streams, cancellationToken);
        var fresh = messages
            .Where(m => m.StreamPosition > bookmarks.GetValueOrDefault(m.StreamId) && !archived.Contains(m.StreamId))
            .ToList();
        var changes = fresh.Count > 0
            ? await projection.ApplyAsync(connection, tenant, fresh, cancellationToken)
            : [];
        var lastPerStream = fresh.GroupBy(m => m.StreamId).Select(g => g.MaxBy(m => m.StreamPosition)!).ToList();
        await SubscriptionCheckpoints.StoreBookmarksAsync(connection, projection, tenant, lastPerStream, cancellationToken);
        var next = messages[^1].Cursor;
        await SubscriptionCheckpoints.StoreCursorAsync(connection, projection, tenant, next, cancellationToken);
        await AnnounceAsync(connection, changes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        cursor = next;
        status.Update(projection.Name, tenant, s => s with { Cursor = next, LastBatchAt = DateTimeOffset.UtcNow, LastError = null });
        if (fresh.Count < messages.Count)
            logger.LogInformation("{Projection}/{Tenant}: skipped {Count} message(s) already applied", projection.Name, tenant, messages.Count - fresh.Count);
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

    /// <summary>Forgets the cursor in memory: the next batch or lag measure reads the stored one.</summary>
    public async Task ReloadCursorAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        cursor = await SubscriptionCheckpoints.ReadCursorAsync(connection, projection, tenant, cancellationToken);
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
    private async Task<System.Collections.Generic.HashSet<string>> ArchivedAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> streams, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT stream_id FROM emt_streams WHERE partition = $1 AND is_archived = TRUE AND stream_id = ANY($2)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams.ToArray() });
        var archived = new System.Collections.Generic.HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) archived.Add(reader.GetString(0));
        return archived;
    }

    private async Task AnnounceAsync(NpgsqlConnection connection, IReadOnlyList<ProjectedChange> changes, CancellationToken cancellationToken)
    {
        // NOTE: sent inside the batch's transaction, so it goes out exactly when the batch commits. Appends never
        // notify in their own transaction, so the lock NOTIFY takes at commit never holds a writer back.
        foreach (var payload in ProjectedChanges.Payloads(projection, tenant, changes))
        {
            await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ProjectedChanges.Channel });
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
