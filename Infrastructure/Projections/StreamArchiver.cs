using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Archives a stream and, in the same transaction, removes it from every read model: its rows, its bookmarks,
/// and a change announcing the removal. Nothing of the stream's history is deleted.
/// </summary>
/// <remarks>
/// NOTE: it first locks each projection's cursor for the tenant, so a batch in flight finishes before the
/// archive and any later batch sees the stream archived (<see cref="ProjectionProcessor"/> checks): a read
/// model row never comes back for an archived stream.
/// </remarks>
public sealed class StreamArchiver(EventStore.EventStore store, IEnumerable<IProjection> projections)
{
    private readonly IReadOnlyList<IProjection> projections = projections.ToList();

    public Task<Either<StreamError, ArchiveResult>> ArchiveAsync(TenantId tenant, string streamId, CancellationToken cancellationToken = default) =>
        store.ArchiveStreamAsync(tenant, streamId,
            beforeArchiving: async (connection, ct) =>
            {
                foreach (var projection in projections)
                {
                    await SubscriptionCheckpoints.EnsureCursorAsync(connection, projection, tenant, ct);
                    await SubscriptionCheckpoints.LockCursorAsync(connection, projection, tenant, ct);
                }
            },
            afterArchiving: async (connection, ct) =>
            {
                foreach (var projection in projections)
                {
                    await projection.ForgetAsync(connection, tenant, streamId, ct);
                    await SubscriptionCheckpoints.DeleteBookmarkAsync(connection, projection, tenant, streamId, ct);
                    foreach (var payload in ProjectedChanges.Payloads(projection, tenant, [new ProjectedChange(streamId, 0, Removed: true)]))
                    {
                        await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
                        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ProjectedChanges.Channel });
                        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
                        await notify.ExecuteNonQueryAsync(ct);
                    }
                }
            },
            cancellationToken);
}
