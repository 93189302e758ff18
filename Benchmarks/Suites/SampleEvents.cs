using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Benchmarks.Suites;

/// <summary>Realistic payloads: the cart's own events, serialized by its own codec.</summary>
internal static class SampleEvents
{
    public static NewMessage ItemAdded(int n) => Message(new CartEvent.ItemAddedToCart(
        new CartItem($"SKU-{n % 1000}", $"Item {n % 1000}", 1 + n % 5, 9.99m + n % 50)));

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
