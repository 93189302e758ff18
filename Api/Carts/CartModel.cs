using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;

namespace CartGraph.Api.Carts;

/// <summary>A cart as the API shows it: the decider's state with its identity and version.</summary>
/// <param name="CreatedAt">Known when read from the read model; a mutation's result has none.</param>
public sealed record CartModel(
    TenantId TenantId,
    string CartId,
    CartState State,
    long Version,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null)
{
    /// <summary>Built once: a page of carts reads it in several fields of each cart.</summary>
    public CartView View { get; } = new(CartId, State, Version, CreatedAt ?? default, UpdatedAt ?? default);

    public static CartModel From(TenantId tenant, CartView view) =>
        new(tenant, view.CartId, view.State, view.Version, view.CreatedAt, view.UpdatedAt);
}

/// <summary>One event of a cart's stream, as clients see it.</summary>
public sealed record CartEventModel(
    string CartId,
    string Type,
    System.Text.Json.JsonElement Data,
    long StreamPosition,
    long GlobalPosition,
    DateTimeOffset Created)
{
    public static CartEventModel From(Infrastructure.EventStore.RecordedMessage message)
    {
        using var document = System.Text.Json.JsonDocument.Parse(message.Data);
        return new(message.StreamId, message.MessageType, document.RootElement.Clone(),
            message.StreamPosition, message.GlobalPosition, message.Created);
    }
}
