namespace CartGraph.Domain.Carts;

/// <summary>
/// Cart events as schema version 0 stored them: what an older writer following the seed's command field names wrote
/// (e.g. an Emmett service), where an item's price is <c>price</c>. Every other event had today's shape already.
/// NOTE: storage contracts of the past: never edited, only read and upcast.
/// </summary>
public static class CartEventV0
{
    public sealed record ItemAddedToCart(Item Item);

    public sealed record Item(string Sku, string Name, int Quantity, decimal Price);

    /// <summary>Version 0 → 1: the price is the unit price; nothing else changes.</summary>
    public static CartEvent.ItemAddedToCart Upcast(ItemAddedToCart added) =>
        new(new CartItem(added.Item.Sku, added.Item.Name, added.Item.Quantity, added.Item.Price));
}
