using CartGraph.Api.GraphQL.Errors;
using CartGraph.Domain.Carts;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary><c>emptyCart</c>: removes every item of an active cart; an empty cart stays as it is.</summary>
internal static class EmptyCartMutation
{
    public static void AddTo(CartMutations mutations) =>
        mutations.Command<EmptyCartInput, EmptyCartInputType, EmptyCartError>("emptyCart",
            "Removes every item of an active cart; an empty cart stays as it is.",
            input => CartCommands.EmptyCart(input.TenantId, input.CartId));
}

public sealed record EmptyCartInput(string TenantId, string CartId, long? ExpectedVersion, string? IdempotencyKey) : ICommandInput;

public sealed class EmptyCartInputType : CommandInputType<EmptyCartInput>
{
    public EmptyCartInputType() : base("EmptyCartInput", "Removes every item of a cart.") => ExpectedVersionField();
}

public sealed class EmptyCartError() : CommandErrorUnion<CartCommand.EmptyCart>("EmptyCartError",
    typeof(CartNotFoundErrorType), typeof(CartClosedErrorType));
