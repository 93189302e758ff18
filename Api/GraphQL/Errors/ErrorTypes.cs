using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Errors;

/// <summary>An object type for one error case: <c>message</c>, <c>code</c> and its own details.</summary>
public abstract class ErrorType<TError> : ObjectGraphType<TError>
{
    protected ErrorType(string name, string description, Func<TError, string> message, Func<TError, string> code)
    {
        Name = name;
        Description = description;
        Interface<ErrorInterface>();
        IsTypeOf = value => value is TError;
        Field<NonNullGraphType<StringGraphType>>("message").Description("A sentence for people.").Resolve(c => message(c.Source));
        Field<NonNullGraphType<StringGraphType>>("code").Description("A stable code for programs.").Resolve(c => code(c.Source));
    }
}

public abstract class CartErrorType<TError>(string name, string description)
    : ErrorType<TError>(name, description, e => e.Message, e => e.Code)
    where TError : CartError;

public abstract class FailureType<TError>(string name, string description)
    : ErrorType<TError>(name, description, e => e.Message, e => e.Code)
    where TError : CartFailure;

public sealed class ValidationErrorType : FailureType<CartFailure.Invalid>
{
    public ValidationErrorType() : base("ValidationError", "A field of the input is invalid; every invalid field is reported.")
    {
        Field<NonNullGraphType<StringGraphType>>("field").Description("The input field, e.g. item.quantity.").Resolve(c => c.Source.Field);
    }
}

public sealed class ForbiddenErrorType : FailureType<CartFailure.Forbidden>
{
    public ForbiddenErrorType() : base("ForbiddenError", "The caller's token does not name this tenant.")
    {
        Field<NonNullGraphType<IdGraphType>>("tenantId").Description("The tenant asked for.").Resolve(c => c.Source.TenantId);
    }
}

public sealed class RateLimitedErrorType : FailureType<CartFailure.RateLimited>
{
    public RateLimitedErrorType() : base("RateLimitedError", "The tenant sends mutations faster than its rate allows; nothing was done.")
    {
        Field<NonNullGraphType<IdGraphType>>("tenantId").Description("The tenant.").Resolve(c => c.Source.TenantId);
        Field<NonNullGraphType<IntGraphType>>("retryAfterMs").Description("When to try again, in milliseconds.")
            .Resolve(c => (int)Math.Ceiling(c.Source.RetryAfter.TotalMilliseconds));
    }
}

public sealed class ConcurrencyConflictErrorType : FailureType<CartFailure.ConcurrencyConflict>
{
    public ConcurrencyConflictErrorType() : base("ConcurrencyConflictError", "The cart is not at the expected version.")
    {
        Field<NonNullGraphType<IdGraphType>>("cartId").Description("The cart.").Resolve(c => c.Source.CartId);
        Field<NonNullGraphType<LongGraphType>>("expectedVersion").Description("The version the command expected.").Resolve(c => c.Source.ExpectedVersion);
        Field<NonNullGraphType<LongGraphType>>("actualVersion").Description("The version the cart is at.").Resolve(c => c.Source.ActualVersion);
    }
}

public sealed class CartArchivedErrorType : FailureType<CartFailure.CartArchived>
{
    public CartArchivedErrorType() : base("CartArchivedError", "The cart was archived and takes no more commands.")
    {
        Field<NonNullGraphType<IdGraphType>>("cartId").Description("The cart.").Resolve(c => c.Source.CartId);
    }
}

public sealed class CartUnreadableErrorType : FailureType<CartFailure.CartUnreadable>
{
    public CartUnreadableErrorType() : base("CartUnreadableError",
        "An event of the cart cannot be read (stored malformed by another writer, or of an unknown schema version): nothing can be decided on it until it is repaired.")
    {
        Field<NonNullGraphType<IdGraphType>>("cartId").Description("The cart.").Resolve(c => c.Source.CartId);
        Field<NonNullGraphType<LongGraphType>>("position").Description("The version (stream position) of the event that cannot be read.").Resolve(c => c.Source.Position);
        Field<NonNullGraphType<StringGraphType>>("eventType").Description("Its stored type, e.g. ItemAddedToCart.").Resolve(c => c.Source.EventType);
    }
}

public sealed class CartNotFoundErrorType() : CartErrorType<CartError.CartNotFound>("CartNotFoundError", "There is no such cart.");

public sealed class CartAlreadyExistsErrorType() : CartErrorType<CartError.CartAlreadyExists>("CartAlreadyExistsError", "A cart with this id exists already.");

public sealed class CartClosedErrorType : CartErrorType<CartError.CartClosed>
{
    public CartClosedErrorType() : base("CartClosedError", "The cart is checked out or cancelled and can no longer change.")
    {
        Field<NonNullGraphType<Types.CartStatusType>>("status").Description("CHECKED_OUT or CANCELLED.").Resolve(c => c.Source.Status);
    }
}

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

public sealed class CartIsEmptyErrorType() : CartErrorType<CartError.CartIsEmpty>("CartIsEmptyError", "An empty cart cannot be checked out.");

public sealed class TotalMismatchErrorType : CartErrorType<CartError.TotalMismatch>
{
    public TotalMismatchErrorType() : base("TotalMismatchError", "The checkout total given differs from the cart's total.")
    {
        Field<NonNullGraphType<DecimalGraphType>>("expected").Description("The cart's total.").Resolve(c => c.Source.Expected);
        Field<NonNullGraphType<DecimalGraphType>>("given").Description("The total given.").Resolve(c => c.Source.Given);
    }
}
