using CartGraph.Domain.Carts;
using CartGraph.Api.GraphQL.Relay;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Types;

public sealed class CartType : ObjectGraphType<CartView>
{
    public CartType()
    {
        Name = "Cart";
        Description = "A shopping cart of one tenant.";
        Interface<NodeInterface>();
        IsTypeOf = value => value is CartView;
        Field<NonNullGraphType<IdGraphType>>("id")
            .Description("The cart's global id (Relay): opaque, unique across tenants; node(id:) fetches the cart again.")
            .Resolve(c => GlobalId.Of(GlobalId.CartType, c.Source.TenantId, c.Source.CartId));
        Field<NonNullGraphType<IdGraphType>>("cartId").Description("The cart's id, unique within its tenant.").Resolve(c => c.Source.CartId);
        Field<NonNullGraphType<IdGraphType>>("tenantId").Description("The tenant the cart belongs to.").Resolve(c => c.Source.TenantId.Value);
        Field<NonNullGraphType<CartStatusType>>("status").Description("Active, checked out or cancelled.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<StringGraphType>>("currency").Description("Three upper-case letters, e.g. USD.").Resolve(c => c.Source.Currency);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CartItemType>>>>("items")
            .Description("The lines of the cart, in the order their skus were first added.")
            .Resolve(c => c.Source.Items.Lines.ToArray());
        Field<NonNullGraphType<DecimalGraphType>>("total")
            .Description("The sum of quantity × unitPrice over the items; once checked out, the total charged.")
            .Resolve(c => c.Source.Total);
        Field<NonNullGraphType<IntGraphType>>("itemCount").Description("How many items the cart holds: the sum of its lines' quantities.")
            .Resolve(c => c.Source.Items.Lines.Sum(line => line.Quantity));
        Field<StringGraphType>("orderId").Description("The order a checkout became; null until checked out.")
            .Resolve(c => c.Source.OrderId.MatchUnsafe(id => id, () => null));
        Field<StringGraphType>("cancellationReason").Description("Why the cart was cancelled; null unless cancelled.")
            .Resolve(c => c.Source.CancellationReason.MatchUnsafe(r => r, () => null));
        Field<NonNullGraphType<LongGraphType>>("version")
            .Description("The position of the last event applied: pass it as expectedVersion for optimistic concurrency.")
            .Resolve(c => c.Source.Version);
        Field<DateTimeGraphType>("createdAt").Description("When the cart was created; null in a mutation's immediate result and in a cart as it was (cartAt, cartHistory).")
            .Resolve(c => c.Source.CreatedAt?.UtcDateTime);
        Field<DateTimeGraphType>("updatedAt").Description("When the cart last changed; null in a mutation's immediate result and in a cart as it was (cartAt, cartHistory).")
            .Resolve(c => c.Source.UpdatedAt?.UtcDateTime);
    }
}
