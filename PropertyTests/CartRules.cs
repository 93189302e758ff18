using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using LanguageExt;
using static CartGraph.Domain.Carts.CartCommand;
using static CartGraph.Domain.Carts.CartState;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>
/// The seed's business rules stated a second time, independently of Decide: the error codes of every rule a
/// command breaks in a state. Several may apply at once; which one Decide reports first is its own choice.
/// </summary>
public static class CartRules
{
    public static Seq<string> Broken(CartState state, CartCommand command) => (state, command) switch
    {
        (CheckedOutCart or CancelledCart, _) => Seq1("CART_CLOSED"),
        (InitCart, CreateCart) => Seq<string>(),
        (InitCart, _) => Seq1("CART_NOT_FOUND"),
        (ActiveCart, CreateCart) => Seq1("CART_ALREADY_EXISTS"),
        (ActiveCart cart, AddItemToCart add) => BrokenByAdding(cart.Items.Lines, add.Item),
        (ActiveCart cart, RemoveItemFromCart remove) =>
            BrokenByRemoving(cart.Items.Lines, remove.Sku.Value, remove.Quantity.Value),
        (ActiveCart cart, CheckOutCart checkOut) => BrokenByCheckingOut(cart.Items.Lines, checkOut.Total),
        (ActiveCart, EmptyCart or CancelCart) => Seq<string>(),
        _ => Seq1("UNSUPPORTED_COMMAND"),
    };

    private static Seq<string> BrokenByAdding(Seq<CartItem> lines, ItemToAdd item) =>
        lines.Find(line => line.Sku == item.Sku.Value).Match(
            Some: line => Rules(
                (line.Name != item.Name.Value || line.UnitPrice != item.UnitPrice.Amount, "ITEM_DETAILS_MISMATCH"),
                (line.Quantity + item.Quantity.Value > Quantity.Max, "QUANTITY_LIMIT_EXCEEDED")),
            None: () => Rules((lines.Count >= Cart.MaxLines, "TOO_MANY_ITEMS")));

    private static Seq<string> BrokenByRemoving(Seq<CartItem> lines, string sku, int quantity) =>
        lines.Find(line => line.Sku == sku).Match(
            Some: line => Rules((quantity > line.Quantity, "INSUFFICIENT_QUANTITY")),
            None: () => Seq1("ITEM_NOT_IN_CART"));

    private static Seq<string> BrokenByCheckingOut(Seq<CartItem> lines, Option<Money> total) =>
        Rules(
            (lines.IsEmpty, "CART_IS_EMPTY"),
            (total.Exists(given => given.Amount != CartLines.Total(lines)), "TOTAL_MISMATCH"));

    private static Seq<string> Rules(params (bool IsBroken, string Code)[] rules) =>
        toSeq(rules).Filter(rule => rule.IsBroken).Map(rule => rule.Code);
}
