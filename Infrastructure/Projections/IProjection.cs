using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// A read model fed by a tenant's messages in commit order. The processor hands it batches inside the
/// transaction that also moves the cursor, so a batch is applied exactly when its cursor is stored.
/// </summary>
public interface IProjection
{
    /// <summary>The <c>subscription_id</c> of its cursor in <c>emt_subscriptions</c>, e.g. <c>carts-read-model</c>.</summary>
    string Name { get; }

    /// <summary>The <c>version</c> of its rows in <c>emt_subscriptions</c>; a new version is a new read model.</summary>
    int Version { get; }

    /// <summary>
    /// Applies messages that no stream bookmark has seen yet (the processor filtered redeliveries out).
    /// Returns what changed, one entry per stream, for the change notification.
    /// </summary>
    Task<IReadOnlyList<ProjectedChange>> ApplyAsync(
        NpgsqlConnection connection, TenantId tenant, IReadOnlyList<RecordedMessage> messages, CancellationToken cancellationToken);

    /// <summary>Forgets a stream (it was archived), in the archiving transaction.</summary>
    Task ForgetAsync(NpgsqlConnection connection, TenantId tenant, string streamId, CancellationToken cancellationToken);

    /// <summary>Empties the read model of a tenant, before a rebuild replays every message.</summary>
    Task ResetAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken);
}

/// <summary>One stream's row after a batch: its new version, or gone.</summary>
public sealed record ProjectedChange(string StreamId, long Version, bool Removed = false);
