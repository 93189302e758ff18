namespace CartGraph.Domain.Carts;

/// <summary>
/// One line of a cart, as events carry it and states hold it.
/// NOTE: part of the <c>ItemAddedToCart</c> storage contract; version with care.
/// </summary>
public sealed record CartItem(string Sku, string Name, int Quantity, decimal UnitPrice);
