using CartGraph.Api.GraphQL.Errors;
using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary><c>addItemToCart</c>: adds units of an item to an active cart.</summary>
internal static class AddItemToCartMutation
{
    public static void AddTo(CartMutations mutations) =>
        mutations.Command<AddItemToCartInput, AddItemToCartInputType, AddItemToCartError>("addItemToCart",
            "Adds units of an item to an active cart.",
            input => CartCommands.AddItemToCart(input.TenantId, input.CartId, input.Item.Sku, input.Item.Name, input.Item.Quantity, input.Item.UnitPrice));
}

public sealed record AddItemToCartInput(string TenantId, string CartId, CartItemInput Item, long? ExpectedVersion, string? IdempotencyKey) : ICommandInput;

public sealed class AddItemToCartInputType : CommandInputType<AddItemToCartInput>
{
    public AddItemToCartInputType() : base("AddItemToCartInput", "Adds units of an item; a sku already in the cart gets the units added.")
    {
        Field<NonNullGraphType<CartItemInputType>>("item").Description("The item and how many units.");
        ExpectedVersionField();
    }
}

public sealed class AddItemToCartError() : CommandErrorUnion<CartCommand.AddItemToCart>("AddItemToCartError",
    typeof(CartNotFoundErrorType), typeof(CartClosedErrorType), typeof(ItemDetailsMismatchErrorType),
    typeof(QuantityLimitExceededErrorType), typeof(TooManyItemsErrorType));
