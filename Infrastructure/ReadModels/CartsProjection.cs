using CartGraph.Domain;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using LanguageExt;
using Npgsql;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.ReadModels;

/// <summary>
/// The carts read model: each cart stream's events folded by the domain's own projection
/// (<see cref="CartViews.Project"/>) into its row of <c>carts</c>. Messages of other types are ignored; a cart event it
/// cannot read throws, so that the processor parks its cart.
/// </summary>
/// <remarks>
/// Versions: 1 stored the view; 2 adds <c>item_count</c> and <c>total</c> as columns, which lists sort by. Rows of each
/// version are apart (<c>projection_version</c>), so that a rebuild builds the next beside the one served.
/// </remarks>
public sealed class CartsProjection(int version = CartsProjection.DeclaredVersion) : IProjection
{
    public const string ProjectionName = "carts-read-model";

    /// <summary>The version this code writes for a new tenant, and builds for one served an older one.</summary>
    public const int DeclaredVersion = 2;

    public string Name => ProjectionName;

    public int Version => version;

    public IProjection At(int version) => version == Version ? this : new CartsProjection(version);

    public async Task<ProjectionWrites> ApplyAsync(
        NpgsqlConnection connection, TenantId tenant, IReadOnlyList<RecordedMessage> messages, CancellationToken cancellationToken)
    {
        var events = new List<(RecordedMessage Message, CartEvent Event)>(messages.Count);
        foreach (var message in messages)
            CartEventJson.Codec.Deserialize(message.MessageType, message.SchemaVersion, message.Data).Match(
                Right: known => known.IfSome(@event => events.Add((message, @event))),
                Left: unreadable => throw new InvalidDataException($"{message.StreamId} position {message.StreamPosition}: {unreadable.Reason}"));
        if (events.Count == 0) return ProjectionWrites.None;

        var cartIds = events.Select(e => e.Message.StreamId).Distinct().ToList();
        var stored = await CartsTable.LoadAsync(connection, tenant, version, cartIds, cancellationToken);
        var views = stored.ToDictionary(pair => pair.Key, pair => Some(pair.Value));
        foreach (var (message, @event) in events)
            views[message.StreamId] = CartViews.Project(
                views.GetValueOrDefault(message.StreamId), tenant, message.StreamId, @event, message.StreamPosition, message.Created);

        var changed = views.Values.Somes().Where(v => !stored.TryGetValue(v.CartId, out var row) || row.Version != v.Version).ToList();
        return changed.Count == 0
            ? ProjectionWrites.None
            : new ProjectionWrites(
                [CartsTable.Upsert(tenant, version, changed)],
                changed.Select(v => new ProjectedChange(v.CartId, v.Version)).ToList());
    }

    public Task ForgetAsync(NpgsqlConnection connection, TenantId tenant, string streamId, CancellationToken cancellationToken) =>
        CartsTable.DeleteAsync(connection, tenant, streamId, cancellationToken);

    public Task ResetAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken) =>
        CartsTable.DeleteVersionAsync(connection, tenant, version, cancellationToken);

    public async Task ForgetTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken)
    {
        await CartsTable.DeleteTenantAsync(connection, tenant, cancellationToken);
        await ProjectionVersions.ForgetTenantAsync(connection, tenant, cancellationToken);
    }
}
