using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Types;

public sealed class CartItemType : ObjectGraphType<CartItem>
{
    public CartItemType()
    {
        Name = "CartItem";
        Description = "One line of a cart: a sku with its name, unit price and quantity.";
        Field<NonNullGraphType<StringGraphType>>("sku").Description("The stock keeping unit.").Resolve(c => c.Source.Sku);
        Field<NonNullGraphType<StringGraphType>>("name").Description("The item's name, as added.").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<IntGraphType>>("quantity").Description($"Units of this sku in the cart (1 to {SchemaText.Number(Domain.Values.Quantity.Max)}).").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<DecimalGraphType>>("unitPrice").Description("The price of one unit, in the cart's currency.").Resolve(c => c.Source.UnitPrice);
        Field<NonNullGraphType<DecimalGraphType>>("lineTotal").Description("quantity × unitPrice.").Resolve(c => CartItems.LineTotal(c.Source));
    }
}
