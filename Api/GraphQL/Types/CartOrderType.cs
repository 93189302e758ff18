using CartGraph.Infrastructure.ReadModels;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Types;

public sealed class CartOrderType : EnumerationGraphType<CartOrder>
{
    public CartOrderType()
    {
        Name = "CartOrder";
        Description = "The order of a list of carts; ties go by cart id, so every cart has one place and keyset cursors stay stable.";
        Add("CART_ID", CartOrder.CartId, "By cart id (the default).");
        Add("UPDATED_AT_DESC", CartOrder.UpdatedAtDesc, "The cart changed last first.");
        Add("TOTAL_DESC", CartOrder.TotalDesc, "The largest total first.");
    }
}
