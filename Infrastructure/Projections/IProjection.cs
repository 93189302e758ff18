using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Tenants;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// A read model fed by a tenant's messages in commit order. The processor hands it batches inside the
/// transaction that also moves the cursor, so a batch is applied exactly when its cursor is stored. A tenant drop asks
/// it to forget the tenant (<see cref="ITenantRows"/>).
/// </summary>
public interface IProjection : ITenantRows
{
    /// <summary>The <c>subscription_id</c> of its cursor in <c>emt_subscriptions</c>, e.g. <c>carts-read-model</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The <c>version</c> of its rows in <c>emt_subscriptions</c> and in its read model; a new version is a new read model.
    /// What the code declares is the version a new tenant starts at; a deploy that raises it, or a rebuild, builds the next
    /// version beside the served one (<see cref="ProjectionVersions"/>).
    /// </summary>
    int Version { get; }

    /// <summary>The same projection writing the rows of another version (a rebuild builds one beside the served one).</summary>
    IProjection At(int version) =>
        version == Version ? this : throw new NotSupportedException($"{Name} keeps a single version of its rows.");

    /// <summary>
    /// Projects messages that no stream bookmark has seen yet (the processor filtered redeliveries out): reads
    /// what it needs on the connection, inside the batch's transaction, and returns its writes, which the
    /// processor sends with the cursor's in one round trip, and what changed, one entry per stream.
    /// </summary>
    Task<ProjectionWrites> ApplyAsync(
        NpgsqlConnection connection, TenantId tenant, IReadOnlyList<RecordedMessage> messages, CancellationToken cancellationToken);

    /// <summary>Forgets a stream (it was archived), in the archiving transaction.</summary>
    Task ForgetAsync(NpgsqlConnection connection, TenantId tenant, string streamId, CancellationToken cancellationToken);

    /// <summary>Empties this version's rows of a tenant: before a rebuild replays every message into them, or once another version is served.</summary>
    Task ResetAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken);
}

/// <summary>What a projection does with a batch: the statements that write it, and the streams that changed.</summary>
public sealed record ProjectionWrites(IReadOnlyList<NpgsqlBatchCommand> Commands, IReadOnlyList<ProjectedChange> Changes)
{
    public static readonly ProjectionWrites None = new([], []);
}

/// <summary>One stream's row after a batch: its new version, or gone.</summary>
public sealed record ProjectedChange(string StreamId, long Version, bool Removed = false);
