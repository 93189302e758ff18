using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using LanguageExt;

namespace CartGraph.PropertyTests;

/// <summary>A command as a client sends it: raw values that only <see cref="CartCommands"/> may turn into a command.</summary>
public abstract record RawCommand
{
    private RawCommand() { }

    public sealed record CreateCart(string? TenantId, string? CartId, string? Currency) : RawCommand;

    public sealed record AddItemToCart(
        string? TenantId, string? CartId, string? Sku, string? Name, long Quantity, decimal UnitPrice) : RawCommand;

    public sealed record RemoveItemFromCart(string? TenantId, string? CartId, string? Sku, long Quantity) : RawCommand;

    public sealed record EmptyCart(string? TenantId, string? CartId) : RawCommand;

    public sealed record CheckOutCart(string? TenantId, string? CartId, string? OrderId, decimal? Total) : RawCommand;

    public sealed record CancelCart(string? TenantId, string? CartId, string? Reason) : RawCommand;

    /// <summary>The raw values a command was built from, so a shrinker can vary them and validate again.</summary>
    public static RawCommand From(CartCommand command) => command switch
    {
        CartCommand.CreateCart c => new CreateCart(c.TenantId.Value, c.CartId.Value, c.Currency.Code),
        CartCommand.AddItemToCart c => new AddItemToCart(c.TenantId.Value, c.CartId.Value,
            c.Item.Sku.Value, c.Item.Name.Value, c.Item.Quantity.Value, c.Item.UnitPrice.Amount),
        CartCommand.RemoveItemFromCart c =>
            new RemoveItemFromCart(c.TenantId.Value, c.CartId.Value, c.Sku.Value, c.Quantity.Value),
        CartCommand.EmptyCart c => new EmptyCart(c.TenantId.Value, c.CartId.Value),
        CartCommand.CheckOutCart c => new CheckOutCart(c.TenantId.Value, c.CartId.Value, c.OrderId.Value,
            c.Total.MatchUnsafe(Some: total => total.Amount, None: () => (decimal?)null)),
        CartCommand.CancelCart c => new CancelCart(c.TenantId.Value, c.CartId.Value, c.Reason.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Not a cart command."),
    };

    public static Validation<InvalidInput, CartCommand> Validate(RawCommand raw) => raw switch
    {
        CreateCart c => CartCommands.CreateCart(c.TenantId, c.CartId, c.Currency),
        AddItemToCart c => CartCommands.AddItemToCart(c.TenantId, c.CartId, c.Sku, c.Name, c.Quantity, c.UnitPrice),
        RemoveItemFromCart c => CartCommands.RemoveItemFromCart(c.TenantId, c.CartId, c.Sku, c.Quantity),
        EmptyCart c => CartCommands.EmptyCart(c.TenantId, c.CartId),
        CheckOutCart c => CartCommands.CheckOutCart(c.TenantId, c.CartId, c.OrderId, c.Total),
        CancelCart c => CartCommands.CancelCart(c.TenantId, c.CartId, c.Reason),
        _ => throw new ArgumentOutOfRangeException(nameof(raw), raw.GetType().Name, "Not a raw cart command."),
    };
}
