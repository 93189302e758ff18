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
public sealed class CartsProjection : IProjection
{
    public const string ProjectionName = "carts-read-model";

    public string Name => ProjectionName;

    public int Version => 1;

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
        var stored = await CartsTable.LoadAsync(connection, tenant, cartIds, cancellationToken);
        var views = stored.ToDictionary(pair => pair.Key, pair => Some(pair.Value));
        foreach (var (message, @event) in events)
            views[message.StreamId] = CartViews.Project(
                views.GetValueOrDefault(message.StreamId), tenant, message.StreamId, @event, message.StreamPosition, message.Created);

        var changed = views.Values.Somes().Where(v => !stored.TryGetValue(v.CartId, out var row) || row.Version != v.Version).ToList();
        return changed.Count == 0
            ? ProjectionWrites.None
            : new ProjectionWrites(
                [CartsTable.Upsert(tenant, changed)],
                changed.Select(v => new ProjectedChange(v.CartId, v.Version)).ToList());
    }

    public Task ForgetAsync(NpgsqlConnection connection, TenantId tenant, string streamId, CancellationToken cancellationToken) =>
        CartsTable.DeleteAsync(connection, tenant, streamId, cancellationToken);

    public Task ResetAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken) =>
        CartsTable.DeleteTenantAsync(connection, tenant, cancellationToken);

    public Task ForgetTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken cancellationToken) =>
        CartsTable.DeleteTenantAsync(connection, tenant, cancellationToken);
}
