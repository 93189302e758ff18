using CartGraph.Domain.Carts;
using LanguageExt;

namespace CartGraph.PropertyTests;

/// <summary>A cart's total worked out by hand, independently of <see cref="CartItems"/>.</summary>
public static class CartLines
{
    public static decimal Total(Seq<CartItem> lines) =>
        lines.Fold(0m, (total, line) => total + line.Quantity * line.UnitPrice);
}
