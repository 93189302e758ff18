using CartGraph.Api.GraphQL.Errors;
using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary><c>removeItemFromCart</c>: removes units of a sku from an active cart.</summary>
internal static class RemoveItemFromCartMutation
{
    public static void AddTo(CartMutations mutations) =>
        mutations.Command<RemoveItemFromCartInput, RemoveItemFromCartInputType, RemoveItemFromCartError>("removeItemFromCart",
            "Removes units of a sku from an active cart.",
            input => CartCommands.RemoveItemFromCart(input.TenantId, input.CartId, input.Sku, input.Quantity));
}

public sealed record RemoveItemFromCartInput(string TenantId, string CartId, string Sku, int Quantity, long? ExpectedVersion, string? IdempotencyKey) : ICommandInput;

public sealed class RemoveItemFromCartInputType : CommandInputType<RemoveItemFromCartInput>
{
    public RemoveItemFromCartInputType() : base("RemoveItemFromCartInput", "Removes units of a sku; a line at zero disappears.")
    {
        Field<NonNullGraphType<StringGraphType>>("sku").Description("The sku to remove units of.");
        Field<NonNullGraphType<IntGraphType>>("quantity").Description("Units to remove: 1 to what the cart holds.");
        ExpectedVersionField();
    }
}

public sealed class RemoveItemFromCartError() : CommandErrorUnion<CartCommand.RemoveItemFromCart>("RemoveItemFromCartError",
    typeof(CartNotFoundErrorType), typeof(CartClosedErrorType), typeof(ItemNotInCartErrorType), typeof(InsufficientQuantityErrorType));
