using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using CartGraph.Infrastructure.CommandHandling;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Archives a stream and, in the same transaction, removes it from every read model: its rows, its bookmarks,
/// a parked message it waited at, and a change announcing the removal. Nothing of the stream's history is deleted.
/// </summary>
/// <remarks>
/// NOTE: it first locks each projection's cursor for the tenant, so a batch in flight finishes before the
/// archive and any later batch sees the stream archived (<see cref="ProjectionProcessor"/> checks): a read
/// model row never comes back for an archived stream.
/// </remarks>
public sealed class StreamArchiver(
    EventStore.EventStore store, IEnumerable<IProjection> projections, AggregateCache? cache = null)
{
    private readonly IReadOnlyList<IProjection> projections = projections.ToList();

    /// <param name="expectedPosition">When given, archive only a stream at exactly this position.</param>
    public async Task<Either<StreamError, ArchiveResult>> ArchiveAsync(
        TenantId tenant, string streamId, Option<long> expectedPosition = default, CancellationToken cancellationToken = default)
    {
        // A tenant never written to has no tables, so no cursor to lock, and no stream either: the store says so.
        var archived = await ArchiveInTransactionAsync(tenant, streamId, expectedPosition, cancellationToken);
        // A cached state would keep taking commands until an append found the stream archived.
        if (archived.IsRight) cache?.Remove(tenant, streamId);
        return archived;
    }

    private Task<Either<StreamError, ArchiveResult>> ArchiveInTransactionAsync(
        TenantId tenant, string streamId, Option<long> expectedPosition, CancellationToken cancellationToken) =>
        store.ArchiveStreamAsync(tenant, streamId, expectedPosition,
            beforeArchiving: async (connection, tables, ct) =>
            {
                foreach (var projection in projections) await SubscriptionCheckpoints.LockAsync(connection, projection, tables, ct);
            },
            afterArchiving: async (connection, tables, ct) =>
            {
                foreach (var projection in projections)
                {
                    await projection.ForgetAsync(connection, tenant, streamId, ct);
                    await using var batch = new NpgsqlBatch(connection)
                    {
                        BatchCommands = { SubscriptionCheckpoints.DeleteBookmark(projection, tables, streamId), ParkedMessages.Release(projection, tenant, streamId) },
                    };
                    foreach (var notify in ProjectedChanges.Notifications(projection, tenant, [new ProjectedChange(streamId, 0, Removed: true)]))
                        batch.BatchCommands.Add(notify);
                    await batch.ExecuteNonQueryAsync(ct);
                }
            },
            cancellationToken);
}
