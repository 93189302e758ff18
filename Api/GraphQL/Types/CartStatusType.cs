using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Types;

public sealed class CartStatusType : EnumerationGraphType<CartStatus>
{
    public CartStatusType()
    {
        Name = "CartStatus";
        Description = "Where a cart is in its life: active carts change; checked-out and cancelled carts never do again.";
        Add("ACTIVE", CartStatus.Active, "Open: items can be added and removed, and it can be checked out or cancelled.");
        Add("CHECKED_OUT", CartStatus.CheckedOut, "Checked out into an order; it can no longer change.");
        Add("CANCELLED", CartStatus.Cancelled, "Cancelled with a reason; it can no longer change.");
    }
}
