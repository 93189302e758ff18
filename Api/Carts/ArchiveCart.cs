using CartGraph.Domain.Values;
using LanguageExt;

namespace CartGraph.Api.Carts;

/// <summary>Archive a cart: its stream and every read model row of it. Not the decider's: the store's, beside it.</summary>
public sealed record ArchiveCart(TenantId TenantId, CartId CartId)
{
    /// <summary>From raw input, every problem at once, as the decider's commands are made (<see cref="Domain.Carts.CartCommands"/>).</summary>
    public static Validation<InvalidInput, ArchiveCart> Create(string? tenantId, string? cartId) =>
        (TenantId.Create(tenantId), CartId.Create(cartId)).Apply((tenant, cart) => new ArchiveCart(tenant, cart));
}
