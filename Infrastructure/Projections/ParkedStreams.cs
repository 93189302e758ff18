using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.Projections;

/// <summary>What became of a parked stream once retried or skipped: where its bookmark stands, and where it waits again, if it does.</summary>
public sealed record ParkedStreamOutcome(string Projection, string StreamId, long Bookmark, ParkedMessage? StillParked);

/// <summary>
/// What an operator does with parked streams: list them, apply them again (after a fix is deployed, say), or pass over
/// the one message a stream waits at. Each retry or skip runs in one transaction under the projection's cursor lock,
/// like a batch, so it works whether or not an instance processes the tenant, and never interleaves with a batch: the
/// stream is replayed from the store from its bookmark to its end, and the processor later takes what it meets of those
/// messages for redeliveries.
/// </summary>
public sealed class ParkedStreams(PostgresDatabase database, IEnumerable<IProjection> projections, ILogger<ParkedStreams>? logger = null)
{
    private readonly IReadOnlyList<IProjection> projections = projections.ToList();
    private readonly ILogger logger = logger ?? NullLogger<ParkedStreams>.Instance;

    /// <summary>Every waiting stream, oldest first, of one tenant or all.</summary>
    public Task<IReadOnlyList<ParkedMessage>> ListAsync(TenantId? tenant = null, CancellationToken cancellationToken = default) =>
        ParkedMessages.ListAsync(database.Commands, tenant, ct: cancellationToken);

    /// <summary>Applies again every parked stream of the tenant (or the one named), each from the message it waits at.</summary>
    public async Task<IReadOnlyList<ParkedStreamOutcome>> RetryAsync(
        TenantId tenant, string? streamId = null, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<ParkedStreamOutcome>();
        foreach (var parked in await ListAsync(tenant, cancellationToken))
        {
            if (streamId is not null && parked.StreamId != streamId) continue;
            if (projections.FirstOrDefault(p => p.Name == parked.Projection) is not { } projection) continue;
            if (await ReplayAsync(projection, tenant, parked.StreamId, skip: None, cancellationToken) is { } outcome) outcomes.Add(outcome);
        }
        return outcomes;
    }

    /// <summary>
    /// An operator's decision: the message the stream waits at, at <paramref name="position"/>, is passed over (recorded,
    /// with <paramref name="decidedBy"/>, and logged), and the stream goes on from the next one.
    /// </summary>
    public async Task<Either<string, ParkedStreamOutcome>> SkipAsync(
        TenantId tenant, string streamId, long position, string decidedBy, CancellationToken cancellationToken = default)
    {
        var parked = (await ListAsync(tenant, cancellationToken)).Where(p => p.StreamId == streamId).ToList();
        if (parked.Count == 0) return Left<string, ParkedStreamOutcome>($"Stream '{streamId}' of tenant '{tenant}' is not parked.");
        if (parked.FirstOrDefault(p => p.StreamPosition == position) is not { } at)
            return Left<string, ParkedStreamOutcome>(
                $"Stream '{streamId}' of tenant '{tenant}' waits at position {parked[0].StreamPosition}, not {position}: only that message can be skipped.");
        if (projections.FirstOrDefault(p => p.Name == at.Projection) is not { } projection)
            return Left<string, ParkedStreamOutcome>($"Projection '{at.Projection}' is not one this program runs.");
        var outcome = await ReplayAsync(projection, tenant, streamId, Some((position, decidedBy)), cancellationToken);
        return outcome is null
            ? Left<string, ParkedStreamOutcome>($"Stream '{streamId}' of tenant '{tenant}' no longer waits at position {position}.")
            : Right<string, ParkedStreamOutcome>(outcome);
    }

    /// <summary>Replays one parked stream from its bookmark, under the cursor lock; null when it no longer waits (or not there).</summary>
    private async Task<ParkedStreamOutcome?> ReplayAsync(
        IProjection projection, TenantId tenant, string streamId, Option<(long Position, string DecidedBy)> skip, CancellationToken ct)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(ct);
        if (await TenantTables.ResolveAsync(connection, tenant, ct) is not { } tables) return null; // dropped meanwhile
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await SubscriptionCheckpoints.LockAsync(connection, projection, tables, ct);
        if (await ParkedMessages.WaitingAsync(connection, projection, tenant, streamId, ct) is not { } waiting) return null;
        var bookmark = await BookmarkAsync(connection, projection, tables, streamId, ct);

        if (skip.Case is (long position, string decidedBy))
        {
            if (waiting.StreamPosition != position
                || !await ParkedMessages.SkipAsync(connection, projection, tenant, streamId, position, decidedBy, ct)) return null;
            var skipped = await EventStore.EventStore.ReadStreamRangesAsync(connection, tables, [new StreamRange(streamId, position, position)], ct);
            await using (var pass = new NpgsqlBatch(connection) { BatchCommands = { SubscriptionCheckpoints.StoreBookmarks(projection, tables, skipped) } })
                await pass.ExecuteNonQueryAsync(ct);
            bookmark = position;
            logger.LogWarning("{Projection}/{Tenant}: stream {Stream} passes over position {Position} ({Type}), as {DecidedBy} decided; it failed with: {Error}",
                projection.Name, tenant, streamId, position, waiting.MessageType, decidedBy, waiting.Error);
        }

        var read = await EventStore.EventStore.ReadStreamRangesAsync(connection, tables, [new StreamRange(streamId, bookmark + 1, long.MaxValue)], ct);
        var (run, hole) = BatchPlan.FollowOn(streamId, bookmark, read);
        await using var write = new NpgsqlBatch(connection);
        var applied = run is null
            ? new IsolatedApply.Outcome([], [], [])
            : await IsolatedApply.ApplyAsync(connection, projection, tables, [run], ct);
        var stop = applied.Failed.FirstOrDefault() ?? hole;
        if (stop is null) write.BatchCommands.Add(ParkedMessages.Release(projection, tenant, streamId));
        else foreach (var park in ParkedMessages.Park(projection, tenant, stop.Message, stop.Reason)) write.BatchCommands.Add(park);
        foreach (var notify in ProjectedChanges.Notifications(projection, tenant, applied.Changes)) write.BatchCommands.Add(notify);
        await write.ExecuteNonQueryAsync(ct);
        var stillParked = stop is null ? null : await ParkedMessages.WaitingAsync(connection, projection, tenant, streamId, ct);
        await transaction.CommitAsync(ct);

        var now = stop is null ? (run?.Messages[^1].StreamPosition ?? bookmark) : stop.Message.StreamPosition - 1;
        if (stop is null)
            logger.LogInformation("{Projection}/{Tenant}: stream {Stream} applied again up to position {Position}", projection.Name, tenant, streamId, now);
        else
            logger.LogWarning("{Projection}/{Tenant}: stream {Stream} is parked again at position {Position} ({Type}): {Error}",
                projection.Name, tenant, streamId, stop.Message.StreamPosition, stop.Message.MessageType, stop.Reason);
        return new ParkedStreamOutcome(projection.Name, streamId, now, stillParked);
    }

    private static async Task<long> BookmarkAsync(NpgsqlConnection connection, IProjection projection, TenantTables tables, string streamId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SubscriptionCheckpoints.Bookmarks(projection, tables, [streamId]) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return (await SubscriptionCheckpoints.ReadBookmarksAsync(reader, projection, ct)).GetValueOrDefault(streamId);
    }
}
