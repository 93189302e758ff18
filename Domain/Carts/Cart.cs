using CartGraph.Domain.Values;
using LanguageExt;
using static CartGraph.Domain.Carts.CartCommand;
using static CartGraph.Domain.Carts.CartEvent;
using static CartGraph.Domain.Carts.CartState;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Carts;

/// <summary>The shopping cart: every business rule in <see cref="Decide"/>, nothing but folding in <see cref="Evolve"/>.</summary>
public static class Cart
{
    /// <summary>The stream type of every cart stream.</summary>
    public const string StreamType = "cart";

    /// <summary>Distinct skus one cart may hold, so that a cart stays small and its total bounded.</summary>
    public const int MaxLines = 100;

    public static readonly Decider<CartCommand, CartEvent, CartState, CartError> Decider =
        new(Decide, Evolve, InitCart.Instance, IsTerminal);

    public static Either<CartError, Seq<CartEvent>> Decide(CartCommand command, CartState state) =>
        (state, command) switch
        {
            (InitCart, CreateCart c) => Events(new CartCreated(c.Currency.Code)),
            (InitCart, _) => new CartError.CartNotFound(),
            (ActiveCart, CreateCart) => new CartError.CartAlreadyExists(),
            (ActiveCart cart, AddItemToCart c) => AddItem(cart, c.Item),
            (ActiveCart cart, RemoveItemFromCart c) => RemoveItem(cart, c.Sku, c.Quantity),
            (ActiveCart cart, EmptyCart) => cart.Items.IsEmpty ? NoEvents : Events(new CartEmptied()),
            (ActiveCart cart, CheckOutCart c) => CheckOut(cart, c.OrderId, c.Total),
            (ActiveCart, CancelCart c) => Events(new CartCancelled(c.Reason.Value)),
            (CheckedOutCart, _) => new CartError.CartClosed(CartStatus.CheckedOut),
            (CancelledCart, _) => new CartError.CartClosed(CartStatus.Cancelled),
            _ => new CartError.UnsupportedCommand(state.GetType().Name, command.GetType().Name),
        };

    public static CartState Evolve(CartState state, CartEvent @event) =>
        (state, @event) switch
        {
            (InitCart, CartCreated e) => new ActiveCart(e.Currency, CartItems.Empty),
            (ActiveCart cart, ItemAddedToCart e) => cart with { Items = cart.Items.Add(e.Item) },
            (ActiveCart cart, ItemRemovedFromCart e) => cart with { Items = cart.Items.Remove(e.Sku, e.Quantity) },
            (ActiveCart cart, CartEmptied) => cart with { Items = CartItems.Empty },
            (ActiveCart cart, CartCheckedOut e) => new CheckedOutCart(cart.Currency, cart.Items, e.OrderId, e.Total),
            (ActiveCart cart, CartCancelled e) => new CancelledCart(cart.Currency, cart.Items, e.Reason),
            _ => state,
        };

    public static bool IsTerminal(CartState state) => state is CheckedOutCart or CancelledCart;

    private static Either<CartError, Seq<CartEvent>> AddItem(ActiveCart cart, ItemToAdd item) =>
        cart.Items.Find(item.Sku.Value).Match(
            Some: line =>
                line.Name != item.Name.Value || line.UnitPrice != item.UnitPrice.Amount
                    ? new CartError.ItemDetailsMismatch(line.Sku, line.Name, line.UnitPrice)
                : line.Quantity + item.Quantity.Value > Quantity.Max
                    ? new CartError.QuantityLimitExceeded(line.Sku, Quantity.Max)
                : Added(item),
            None: () =>
                cart.Items.Lines.Count >= MaxLines
                    ? new CartError.TooManyItems(MaxLines)
                    : Added(item));

    private static Either<CartError, Seq<CartEvent>> Added(ItemToAdd item) =>
        Events(new ItemAddedToCart(
            new CartItem(item.Sku.Value, item.Name.Value, item.Quantity.Value, item.UnitPrice.Amount)));

    private static Either<CartError, Seq<CartEvent>> RemoveItem(ActiveCart cart, Sku sku, Quantity quantity) =>
        cart.Items.Find(sku.Value).Match(
            Some: line => quantity.Value > line.Quantity
                ? new CartError.InsufficientQuantity(sku.Value, quantity.Value, line.Quantity)
                : Events(new ItemRemovedFromCart(sku.Value, quantity.Value)),
            None: () => new CartError.ItemNotInCart(sku.Value));

    private static Either<CartError, Seq<CartEvent>> CheckOut(ActiveCart cart, OrderId orderId, Option<Money> total) =>
        cart.Items.IsEmpty
            ? new CartError.CartIsEmpty()
            : total.Match(
                Some: given => given.Amount != cart.Items.Total
                    ? new CartError.TotalMismatch(cart.Items.Total, given.Amount)
                    : Events(new CartCheckedOut(orderId.Value, cart.Items.Total)),
                None: () => Events(new CartCheckedOut(orderId.Value, cart.Items.Total)));

    private static readonly Either<CartError, Seq<CartEvent>> NoEvents = Right(Seq<CartEvent>());

    private static Either<CartError, Seq<CartEvent>> Events(params CartEvent[] events) => Right(toSeq(events));
}
