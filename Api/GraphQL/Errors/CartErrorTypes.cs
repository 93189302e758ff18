using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Errors;

// The decider's own errors (CartError) about a cart as a whole: it exists or not, it is closed, it cannot be checked out.

public sealed class CartNotFoundErrorType() : CartErrorType<CartError.CartNotFound>("CartNotFoundError", "There is no such cart.");

public sealed class CartAlreadyExistsErrorType() : CartErrorType<CartError.CartAlreadyExists>("CartAlreadyExistsError", "A cart with this id exists already.");

public sealed class CartClosedErrorType : CartErrorType<CartError.CartClosed>
{
    public CartClosedErrorType() : base("CartClosedError", "The cart is checked out or cancelled and can no longer change.")
    {
        Field<NonNullGraphType<Types.CartStatusType>>("status").Description("CHECKED_OUT or CANCELLED.").Resolve(c => c.Source.Status);
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
