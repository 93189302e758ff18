using CartGraph.Api.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Errors;

// What the carts' service refuses around the decider (CartFailure): the input, the tenant, the rate, the stream.

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

public sealed class IdempotencyKeyReusedErrorType : FailureType<CartFailure.IdempotencyKeyReused>
{
    public IdempotencyKeyReusedErrorType() : base("IdempotencyKeyReusedError",
        "The idempotency key was used on this cart by a command with other input; nothing was done.")
    {
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("The key.").Resolve(c => c.Source.IdempotencyKey);
    }
}
