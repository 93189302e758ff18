using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Errors;

// The decider's own errors (CartError) about the items of a cart.

public sealed class ItemNotInCartErrorType : CartErrorType<CartError.ItemNotInCart>
{
    public ItemNotInCartErrorType() : base("ItemNotInCartError", "The cart holds no item with this sku.")
    {
        Field<NonNullGraphType<StringGraphType>>("sku").Description("The sku asked for.").Resolve(c => c.Source.Sku);
    }
}

public sealed class InsufficientQuantityErrorType : CartErrorType<CartError.InsufficientQuantity>
{
    public InsufficientQuantityErrorType() : base("InsufficientQuantityError", "More units were to be removed than the cart holds.")
    {
        Field<NonNullGraphType<StringGraphType>>("sku").Description("The sku.").Resolve(c => c.Source.Sku);
        Field<NonNullGraphType<IntGraphType>>("requested").Description("Units asked to remove.").Resolve(c => c.Source.Requested);
        Field<NonNullGraphType<IntGraphType>>("available").Description("Units in the cart.").Resolve(c => c.Source.Available);
    }
}

public sealed class ItemDetailsMismatchErrorType : CartErrorType<CartError.ItemDetailsMismatch>
{
    public ItemDetailsMismatchErrorType() : base("ItemDetailsMismatchError", "The sku is in the cart under another name or unit price.")
    {
        Field<NonNullGraphType<StringGraphType>>("sku").Description("The sku.").Resolve(c => c.Source.Sku);
        Field<NonNullGraphType<StringGraphType>>("existingName").Description("Its name in the cart.").Resolve(c => c.Source.ExistingName);
        Field<NonNullGraphType<DecimalGraphType>>("existingUnitPrice").Description("Its unit price in the cart.").Resolve(c => c.Source.ExistingUnitPrice);
    }
}

public sealed class QuantityLimitExceededErrorType : CartErrorType<CartError.QuantityLimitExceeded>
{
    public QuantityLimitExceededErrorType() : base("QuantityLimitExceededError", "The cart would hold more units of a sku than allowed.")
    {
        Field<NonNullGraphType<StringGraphType>>("sku").Description("The sku.").Resolve(c => c.Source.Sku);
        Field<NonNullGraphType<IntGraphType>>("limit").Description("The most units of one sku a cart holds.").Resolve(c => c.Source.Limit);
    }
}

public sealed class TooManyItemsErrorType : CartErrorType<CartError.TooManyItems>
{
    public TooManyItemsErrorType() : base("TooManyItemsError", "The cart would hold more different skus than allowed.")
    {
        Field<NonNullGraphType<IntGraphType>>("limit").Description("The most skus one cart holds.").Resolve(c => c.Source.Limit);
    }
}
