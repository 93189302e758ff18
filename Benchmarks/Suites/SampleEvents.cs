using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Benchmarks.Suites;

/// <summary>Realistic payloads: the cart's own events, serialized by its own codec.</summary>
internal static class SampleEvents
{
    /// <summary>One of five skus, each with its own name and price, as the decider would allow: carts stay a few lines long.</summary>
    public static NewMessage ItemAdded(int n) => Message(new CartEvent.ItemAddedToCart(
        new CartItem($"SKU-{n % 5}", $"Item {n % 5}", 1 + n % 3, 9.99m + n % 5)));

    public static NewMessage[] Cart(string currency = "USD") =>
    [
        Message(new CartEvent.CartCreated(currency)),
        Message(new CartEvent.ItemAddedToCart(new CartItem("SKU-123", "Item 123", 2, 25))),
        Message(new CartEvent.ItemAddedToCart(new CartItem("SKU-456", "Item 456", 1, 15))),
        Message(new CartEvent.ItemRemovedFromCart("SKU-123", 1)),
        Message(new CartEvent.ItemAddedToCart(new CartItem("SKU-789", "Item 789", 3, 4.5m))),
    ];

    private static NewMessage Message(CartEvent e) => new(CartEventJson.TypeOf(e), CartEventJson.Serialize(e));
}
