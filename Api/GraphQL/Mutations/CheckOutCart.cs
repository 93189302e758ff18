using CartGraph.Api.GraphQL.Errors;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary><c>checkOutCart</c>: checks a non-empty active cart out into an order; a new UUID names the order when the client gives none.</summary>
internal static class CheckOutCartMutation
{
    public static void AddTo(CartMutations mutations) =>
        mutations.Command<CheckOutCartInput, CheckOutCartInputType, CheckOutCartError>("checkOutCart",
            "Checks a non-empty active cart out into an order.",
            input => CartCommands.CheckOutCart(input.TenantId, input.CartId, input.OrderId ?? Guid.NewGuid().ToString(), input.Total));
}

public sealed record CheckOutCartInput(string TenantId, string CartId, string? OrderId, decimal? Total, long? ExpectedVersion, string? IdempotencyKey) : ICommandInput;

public sealed class CheckOutCartInputType : CommandInputType<CheckOutCartInput>
{
    public CheckOutCartInputType() : base("CheckOutCartInput", "Checks a non-empty cart out into an order.")
    {
        Field<StringGraphType>("orderId").Description($"The order's id (at most {OrderId.MaxLength} characters); a new UUID when omitted.");
        Field<DecimalGraphType>("total").Description("The total the client expects; must equal the cart's total. Omit to take the cart's.");
        ExpectedVersionField();
    }
}

public sealed class CheckOutCartError() : CommandErrorUnion<CartCommand.CheckOutCart>("CheckOutCartError",
    typeof(CartNotFoundErrorType), typeof(CartClosedErrorType), typeof(CartIsEmptyErrorType), typeof(TotalMismatchErrorType));
