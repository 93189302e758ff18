using CartGraph.Domain.Values;
using LanguageExt;
using static CartGraph.Domain.Carts.CartState;

namespace CartGraph.Domain.Carts;

/// <summary>
/// A cart as clients read it: the decider's state with the cart's identity and the version (stream position) it
/// reflects. The carts read model holds one per cart (its row format is the read model's own); a command's result is
/// one too, built from the state the decider produced.
/// </summary>
/// <param name="CreatedAt">When the read model recorded the cart's creation; null in a command's result, which no row holds yet.</param>
/// <param name="UpdatedAt">When the read model recorded its last change; null in a command's result.</param>
public sealed record CartView(
    TenantId TenantId,
    string CartId,
    CartState State,
    long Version,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null)
{
    public CartStatus Status => CartStates.Status(State);

    public string Currency => CartStates.Contents(State).Currency;

    public CartItems Items => CartStates.Contents(State).Items;

    /// <summary>What the cart costs: the checked-out total once checked out, else the sum of its lines.</summary>
    public decimal Total => State is CheckedOutCart c ? c.Total : Items.Total;

    public Option<string> OrderId => State is CheckedOutCart c ? c.OrderId : Option<string>.None;

    public Option<string> CancellationReason => State is CancelledCart c ? c.Reason : Option<string>.None;
}

/// <summary>The carts read model's projection: a pure function from (view, event) to view.</summary>
public static class CartViews
{
    /// <summary>
    /// Applies the event at <paramref name="position"/> of the cart's stream. The view follows the decider's own
    /// Evolve, so the read model cannot drift from what the decider decides on. A cart is only seen once created.
    /// </summary>
    public static Option<CartView> Project(
        Option<CartView> view, TenantId tenant, string cartId, CartEvent @event, long position, DateTimeOffset at) =>
        view.Match(
            Some: seen => seen with { State = Cart.Evolve(seen.State, @event), Version = position, UpdatedAt = at },
            None: () => Cart.Evolve(Cart.Decider.Initial, @event) is var state && state is not InitCart
                ? new CartView(tenant, cartId, state, position, at, at)
                : Option<CartView>.None);
}
