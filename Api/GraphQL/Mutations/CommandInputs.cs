using CartGraph.Api.GraphQL.Types;
using CartGraph.Domain.Values;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>What every cart command's input has: the tenant, the cart, and optionally the version it expects.</summary>
public interface ICommandInput
{
    string TenantId { get; }
    string? CartId { get; }
    long? ExpectedVersion { get; }
}

public sealed record CreateCartInput(string TenantId, string? CartId, string Currency, long? ExpectedVersion) : ICommandInput;

public sealed record CartItemInput(string Sku, string Name, int Quantity, decimal UnitPrice);

public sealed record AddItemToCartInput(string TenantId, string CartId, CartItemInput Item, long? ExpectedVersion) : ICommandInput;

public sealed record RemoveItemFromCartInput(string TenantId, string CartId, string Sku, int Quantity, long? ExpectedVersion) : ICommandInput;

public sealed record EmptyCartInput(string TenantId, string CartId, long? ExpectedVersion) : ICommandInput;

public sealed record CheckOutCartInput(string TenantId, string CartId, string? OrderId, decimal? Total, long? ExpectedVersion) : ICommandInput;

public sealed record CancelCartInput(string TenantId, string CartId, string Reason, long? ExpectedVersion) : ICommandInput;

public sealed record ArchiveCartInput(string TenantId, string CartId, long? ExpectedVersion) : ICommandInput;

// NOTE: GraphQL.NET's analyzer cannot see that these fields bind to the constructor parameters of each
// concrete record; the schema tests run every mutation end to end, so a field that failed to bind would show.
#pragma warning disable GQL007
/// <summary>An input type with the fields every cart command takes: the tenant, the cart and an optional expected version.</summary>
public abstract class CommandInputType<TInput> : InputObjectGraphType<TInput>
    where TInput : ICommandInput
{
    protected CommandInputType(string name, string description, bool cartIdRequired = true)
    {
        Name = name;
        Description = description;
        Field<NonNullGraphType<IdGraphType>>("tenantId").Description("The tenant the cart belongs to.");
        if (cartIdRequired) Field<NonNullGraphType<IdGraphType>>("cartId").Description("The cart.");
    }

    /// <summary>Last of every input's fields.</summary>
    protected void ExpectedVersionField() =>
        Field<LongGraphType>("expectedVersion")
            .Description("Apply only if the cart is at this version (its `version`); otherwise a ConcurrencyConflictError.");
}


public sealed class CreateCartInputType : CommandInputType<CreateCartInput>
{
    public CreateCartInputType() : base("CreateCartInput", "Opens a new cart.", cartIdRequired: false)
    {
        Field<IdGraphType>("cartId").Description($"The new cart's id (at most {CartId.MaxLength} characters); a new UUID when omitted.");
        Field<NonNullGraphType<StringGraphType>>("currency").Description("Three upper-case letters, e.g. USD.");
        ExpectedVersionField();
    }
}

public sealed class CartItemInputType : InputObjectGraphType<CartItemInput>
{
    public CartItemInputType()
    {
        Name = "CartItemInput";
        Description = "An item to add. The same sku must keep the same name and unit price within a cart.";
        Field<NonNullGraphType<StringGraphType>>("sku").Description($"The stock keeping unit (at most {Sku.MaxLength} characters).");
        Field<NonNullGraphType<StringGraphType>>("name").Description($"The item's name (at most {ItemName.MaxLength} characters).");
        Field<NonNullGraphType<IntGraphType>>("quantity").Description($"Units to add: 1 to {SchemaText.Number(Quantity.Max)}.");
        Field<NonNullGraphType<DecimalGraphType>>("unitPrice").Description("The price of one unit: not negative, at most 2 decimals.");
    }
}

public sealed class AddItemToCartInputType : CommandInputType<AddItemToCartInput>
{
    public AddItemToCartInputType() : base("AddItemToCartInput", "Adds units of an item; a sku already in the cart gets the units added.")
    {
        Field<NonNullGraphType<CartItemInputType>>("item").Description("The item and how many units.");
        ExpectedVersionField();
    }
}

public sealed class RemoveItemFromCartInputType : CommandInputType<RemoveItemFromCartInput>
{
    public RemoveItemFromCartInputType() : base("RemoveItemFromCartInput", "Removes units of a sku; a line at zero disappears.")
    {
        Field<NonNullGraphType<StringGraphType>>("sku").Description("The sku to remove units of.");
        Field<NonNullGraphType<IntGraphType>>("quantity").Description("Units to remove: 1 to what the cart holds.");
        ExpectedVersionField();
    }
}

public sealed class EmptyCartInputType : CommandInputType<EmptyCartInput>
{
    public EmptyCartInputType() : base("EmptyCartInput", "Removes every item of a cart.") => ExpectedVersionField();
}

public sealed class CheckOutCartInputType : CommandInputType<CheckOutCartInput>
{
    public CheckOutCartInputType() : base("CheckOutCartInput", "Checks a non-empty cart out into an order.")
    {
        Field<StringGraphType>("orderId").Description($"The order's id (at most {OrderId.MaxLength} characters); a new UUID when omitted.");
        Field<DecimalGraphType>("total").Description("The total the client expects; must equal the cart's total. Omit to take the cart's.");
        ExpectedVersionField();
    }
}

public sealed class CancelCartInputType : CommandInputType<CancelCartInput>
{
    public CancelCartInputType() : base("CancelCartInput", "Cancels a cart.")
    {
        Field<NonNullGraphType<StringGraphType>>("reason").Description($"Why (at most {CancellationReason.MaxLength} characters).");
        ExpectedVersionField();
    }
}

public sealed class ArchiveCartInputType : CommandInputType<ArchiveCartInput>
{
    public ArchiveCartInputType()
        : base("ArchiveCartInput", "Archives a cart: its history is kept, it leaves the read model and takes no more commands.") =>
        ExpectedVersionField();
}
#pragma warning restore GQL007
