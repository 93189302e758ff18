using CartGraph.Domain.Carts;
using LanguageExt;
using static CartGraph.Domain.Carts.CartState;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>A cart's lines and their total worked out by hand, independently of <see cref="CartItems"/>.</summary>
public static class CartLines
{
    public static Seq<CartItem> Of(CartState state) => state switch
    {
        ActiveCart cart => cart.Items.Lines,
        CheckedOutCart cart => cart.Items.Lines,
        CancelledCart cart => cart.Items.Lines,
        _ => Seq<CartItem>(),
    };

    public static decimal Total(Seq<CartItem> lines) =>
        lines.Fold(0m, (total, line) => total + line.Quantity * line.UnitPrice);
}
