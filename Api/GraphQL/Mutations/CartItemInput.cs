using CartGraph.Api.GraphQL.Types;
using CartGraph.Domain.Values;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

public sealed record CartItemInput(string Sku, string Name, int Quantity, decimal UnitPrice);

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
