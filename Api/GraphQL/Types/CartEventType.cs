using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Queries;
using GraphQL;
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
        Field<JsonGraphType>("data")
            .Description("The event's payload (camelCase JSON) in today's shape, whichever schema version stored it. An event this version cannot read has none: an error with code CART_UNREADABLE at this field says so.")
            .Resolve(c => c.Source.Unreadable is null ? c.Source.Data : throw Unreadable(c.Source));
        Field<NonNullGraphType<LongGraphType>>("streamPosition").Description("Its position in the cart's stream, from 1.").Resolve(c => c.Source.StreamPosition);
        Field<NonNullGraphType<LongGraphType>>("globalPosition").Description("Its position among all events of the store.").Resolve(c => c.Source.GlobalPosition);
        Field<NonNullGraphType<StringGraphType>>("cursor")
            .Description("Its place in the tenant's commit order, opaque: pass it as cartEvents' after to resume right after this event.")
            .Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<DateTimeGraphType>>("created").Description("When it was recorded.").Resolve(c => c.Source.Created.UtcDateTime);
        this.AddCartAfterField();
    }

    /// <summary>Why exactly is for the logs (the processor parks the cart and says it), not for the client.</summary>
    private static ExecutionError Unreadable(CartEventModel @event) =>
        new($"The event at position {@event.StreamPosition} of cart '{@event.CartId}' ({@event.Type}) is not in a form this service reads.")
        {
            Code = "CART_UNREADABLE",
        };
}
