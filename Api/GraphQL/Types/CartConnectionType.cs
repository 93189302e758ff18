using System.Buffers.Text;
using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Types;

/// <summary>A page of carts, Relay-style, with keyset cursors.</summary>
public sealed record CartPage(IReadOnlyList<CartView> Carts, bool HasNextPage, bool HasPreviousPage)
{
    /// <summary>An opaque cursor: the cart id, base64url-encoded.</summary>
    public static string CursorOf(CartView cart) => CursorOf(cart.CartId);

    private static string CursorOf(string cartId) => Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(cartId));

    /// <summary>The cart id in a cursor this connection made; null for anything else (most garbage is valid base64).</summary>
    public static string? CartIdOf(string cursor)
    {
        try
        {
            var cartId = StrictUtf8.GetString(Base64Url.DecodeFromChars(cursor));
            return Domain.Values.CartId.Create(cartId).IsSuccess && CursorOf(cartId) == cursor ? cartId : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}

public sealed class CartConnectionType : ObjectGraphType<CartPage>
{
    public CartConnectionType()
    {
        Name = "CartConnection";
        Description = "A page of carts in cart id order.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CartEdgeType>>>>("edges").Description("The carts of this page, each with its cursor.")
            .Resolve(c => c.Source.Carts);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CartType>>>>("nodes").Description("The carts of this page.")
            .Resolve(c => c.Source.Carts);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Where this page sits.").Resolve(c => c.Source);
    }
}

public sealed class CartEdgeType : ObjectGraphType<CartView>
{
    public CartEdgeType()
    {
        Name = "CartEdge";
        Description = "A cart and its cursor.";
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("Pass it as `after` to get the carts that follow.")
            .Resolve(c => CartPage.CursorOf(c.Source));
        Field<NonNullGraphType<CartType>>("node").Description("The cart.").Resolve(c => c.Source);
    }
}

public sealed class PageInfoType : ObjectGraphType<CartPage>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Information about a page, as the Relay connection specification defines it.";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Description("Whether more carts follow.").Resolve(c => c.Source.HasNextPage);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage").Description("Whether carts precede this page.").Resolve(c => c.Source.HasPreviousPage);
        Field<StringGraphType>("startCursor").Description("The cursor of the first cart; null on an empty page.")
            .Resolve(c => c.Source.Carts.Count > 0 ? CartPage.CursorOf(c.Source.Carts[0]) : null);
        Field<StringGraphType>("endCursor").Description("The cursor of the last cart; null on an empty page.")
            .Resolve(c => c.Source.Carts.Count > 0 ? CartPage.CursorOf(c.Source.Carts[^1]) : null);
    }
}
