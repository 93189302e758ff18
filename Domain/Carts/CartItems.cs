using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Carts;

/// <summary>The lines of a cart in the order they were first added, one line per sku.</summary>
/// <remarks>
/// NOTE: the lines are always evaluated, whatever they are built from. language-ext's <c>Seq.Map</c> and
/// <c>Filter</c> are lazy: kept as they are, each merge or removal would wrap the lines in one more layer, so that a
/// state's size and the cost of reading its lines would grow with its history instead of its lines.
/// </remarks>
public sealed record CartItems
{
    public static readonly CartItems Empty = new([]);

    public CartItems(IEnumerable<CartItem> lines) => Lines = toSeq(lines.ToArray());

    public Seq<CartItem> Lines { get; }

    public bool IsEmpty => Lines.IsEmpty;

    public decimal Total => Values.Money.Normalize(Lines.Sum(LineTotal));

    /// <summary>What one line costs: quantity × unit price.</summary>
    /// <remarks>A function, not a property of <see cref="CartItem"/>, which is stored in events and read models as it is.</remarks>
    public static decimal LineTotal(CartItem line) => line.Quantity * line.UnitPrice;

    public Option<CartItem> Find(string sku) => Lines.Find(line => line.Sku == sku);

    /// <summary>Adds a line, or merges its quantity into the line of the same sku.</summary>
    public CartItems Add(CartItem item) =>
        Find(item.Sku).Match(
            Some: _ => new CartItems(Lines.Select(line => line.Sku == item.Sku
                ? line with { Quantity = line.Quantity + item.Quantity }
                : line)),
            None: () => new CartItems([.. Lines, item]));

    /// <summary>Takes units of a sku away; a line that reaches zero disappears.</summary>
    public CartItems Remove(string sku, int quantity)
    {
        var left = Lines
            .Select(line => line.Sku == sku ? line with { Quantity = line.Quantity - quantity } : line)
            .Where(line => line.Quantity > 0)
            .ToArray();
        return left.Length == 0 ? Empty : new CartItems(left);
    }
}
