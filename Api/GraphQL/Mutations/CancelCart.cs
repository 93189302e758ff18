using CartGraph.Api.GraphQL.Errors;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary><c>cancelCart</c>: cancels an active cart, with a reason.</summary>
internal static class CancelCartMutation
{
    public static void AddTo(CartMutations mutations) =>
        mutations.Command<CancelCartInput, CancelCartInputType, CancelCartError>("cancelCart",
            "Cancels an active cart, with a reason.",
            input => CartCommands.CancelCart(input.TenantId, input.CartId, input.Reason));
}

public sealed record CancelCartInput(string TenantId, string CartId, string Reason, long? ExpectedVersion, string? IdempotencyKey) : ICommandInput;

public sealed class CancelCartInputType : CommandInputType<CancelCartInput>
{
    public CancelCartInputType() : base("CancelCartInput", "Cancels a cart.")
    {
        Field<NonNullGraphType<StringGraphType>>("reason").Description($"Why (at most {CancellationReason.MaxLength} characters).");
        ExpectedVersionField();
    }
}

public sealed class CancelCartError() : CommandErrorUnion<CartCommand.CancelCart>("CancelCartError",
    typeof(CartNotFoundErrorType), typeof(CartClosedErrorType));
