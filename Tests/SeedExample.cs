namespace CartGraph.Tests;

/// <summary>The seed's data example (../shared/seed): its cart, its order, and the five messages its steps store.</summary>
internal static class SeedExample
{
    public const string CartId = "de9f2d24-2475-49dc-88d7-652028650204";
    public const string OrderId = "38fc43c4-893d-4398-9290-2441490d0545";

    /// <summary>The <c>message_type</c> and <c>message_data</c> of the five steps, as the seed shows them.</summary>
    public static readonly (string Type, string Data)[] Messages =
    [
        ("CartCreated", """{"currency": "USD"}"""),
        ("ItemAddedToCart", """{"item": {"sku": "SKU-123", "name": "Item 123", "quantity": 2, "unitPrice": 25}}"""),
        ("ItemAddedToCart", """{"item": {"sku": "SKU-456", "name": "Item 456", "quantity": 1, "unitPrice": 15}}"""),
        ("ItemRemovedFromCart", """{"sku": "SKU-123", "quantity": 1}"""),
        ("CartCheckedOut", """{"total": 40, "orderId": "38fc43c4-893d-4398-9290-2441490d0545"}"""),
    ];
}
