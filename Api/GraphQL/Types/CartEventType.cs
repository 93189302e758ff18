using CartGraph.Api.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Types;

public sealed class CartEventType : ObjectGraphType<CartEventModel>
{
    public CartEventType()
    {
        Name = "CartEvent";
        Description = "Something that happened to a cart, as stored in its event stream.";
        Field<NonNullGraphType<IdGraphType>>("cartId").Description("The cart (stream) the event belongs to.").Resolve(c => c.Source.CartId);
        Field<NonNullGraphType<StringGraphType>>("type")
            .Description("CartCreated, ItemAddedToCart, ItemRemovedFromCart, CartEmptied, CartCheckedOut or CartCancelled.")
            .Resolve(c => c.Source.Type);
        Field<JsonGraphType>("data").Description("The event's payload, exactly as stored (camelCase JSON).").Resolve(c => c.Source.Data);
        Field<NonNullGraphType<LongGraphType>>("streamPosition").Description("Its position in the cart's stream, from 1.").Resolve(c => c.Source.StreamPosition);
        Field<NonNullGraphType<LongGraphType>>("globalPosition").Description("Its position among all events of the store.").Resolve(c => c.Source.GlobalPosition);
        Field<NonNullGraphType<DateTimeGraphType>>("created").Description("When it was recorded.").Resolve(c => c.Source.Created.UtcDateTime);
    }
}
