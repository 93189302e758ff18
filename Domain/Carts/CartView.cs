using LanguageExt;
using static CartGraph.Domain.Carts.CartState;

namespace CartGraph.Domain.Carts;

/// <summary>
/// A cart as the read model holds it: a row per cart, with the version (stream position) it reflects.
/// </summary>
public sealed record CartView(
    string CartId,
    CartState State,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public CartStatus Status => State switch
    {
        CheckedOutCart => CartStatus.CheckedOut,
        CancelledCart => CartStatus.Cancelled,
        _ => CartStatus.Active,
    };

    public string Currency => State switch
    {
        ActiveCart c => c.Currency,
        CheckedOutCart c => c.Currency,
        CancelledCart c => c.Currency,
        _ => "",
    };

    public CartItems Items => State switch
    {
        ActiveCart c => c.Items,
        CheckedOutCart c => c.Items,
        CancelledCart c => c.Items,
        _ => CartItems.Empty,
    };

    /// <summary>What the cart costs: the checked-out total once checked out, else the sum of its lines.</summary>
    public decimal Total => State is CheckedOutCart c ? c.Total : Items.Total;

    public Option<string> OrderId => State is CheckedOutCart c ? c.OrderId : Option<string>.None;

    public Option<string> CancellationReason => State is CancelledCart c ? c.Reason : Option<string>.None;
}

/// <summary>The carts read model's projection: a pure function from (row, event) to row.</summary>
public static class CartViews
{
    /// <summary>
    /// Applies the event at <paramref name="position"/> of the cart's stream. The row follows the decider's own
    /// Evolve, so the read model cannot drift from what the decider decides on. A cart is only seen once created.
    /// </summary>
    public static Option<CartView> Project(
        Option<CartView> row, string cartId, CartEvent @event, long position, DateTimeOffset at) =>
        row.Match(
            Some: view => view with { State = Cart.Evolve(view.State, @event), Version = position, UpdatedAt = at },
            None: () => Cart.Evolve(Cart.Decider.Initial, @event) is var state && state is not InitCart
                ? new CartView(cartId, state, position, at, at)
                : Option<CartView>.None);
}
