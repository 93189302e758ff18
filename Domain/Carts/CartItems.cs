using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Carts;

/// <summary>The lines of a cart in the order they were first added, one line per sku.</summary>
public sealed record CartItems(Seq<CartItem> Lines)
{
    public static readonly CartItems Empty = new(Seq<CartItem>());

    public bool IsEmpty => Lines.IsEmpty;

    public decimal Total => Values.Money.Normalize(Lines.Sum(LineTotal));

    /// <summary>What one line costs: quantity × unit price.</summary>
    /// <remarks>A function, not a property of <see cref="CartItem"/>, which is stored in events and read models as it is.</remarks>
    public static decimal LineTotal(CartItem line) => line.Quantity * line.UnitPrice;

    public Option<CartItem> Find(string sku) => Lines.Find(line => line.Sku == sku);

    /// <summary>Adds a line, or merges its quantity into the line of the same sku.</summary>
    public CartItems Add(CartItem item) =>
        Find(item.Sku).Match(
            Some: _ => new CartItems(Lines.Map(line => line.Sku == item.Sku
                ? line with { Quantity = line.Quantity + item.Quantity }
                : line)),
            None: () => new CartItems(Lines.Add(item)));

    /// <summary>Takes units of a sku away; a line that reaches zero disappears.</summary>
    public CartItems Remove(string sku, int quantity) =>
        new(Lines
            .Map(line => line.Sku == sku ? line with { Quantity = line.Quantity - quantity } : line)
            .Filter(line => line.Quantity > 0));
}
