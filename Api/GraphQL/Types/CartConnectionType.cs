using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Types;

/// <summary>Where a page of a Relay connection sits, whatever it lists.</summary>
public interface IPageInfo
{
    bool HasNextPage { get; }

    bool HasPreviousPage { get; }

    string? StartCursor { get; }

    string? EndCursor { get; }
}

/// <summary>A page of carts, Relay-style, each with its keyset cursor (<see cref="CartCursor"/>).</summary>
public sealed record CartPage(IReadOnlyList<CartEdge> Edges, bool HasNextPage, bool HasPreviousPage) : IPageInfo
{
    public IReadOnlyList<CartView> Carts => Edges.Select(e => e.Cart).ToList();

    public string? StartCursor => Edges.Count > 0 ? Edges[0].Cursor : null;

    public string? EndCursor => Edges.Count > 0 ? Edges[^1].Cursor : null;
}

/// <summary>A cart and its cursor.</summary>
public sealed record CartEdge(CartView Cart, string Cursor);

public sealed class CartConnectionType : ObjectGraphType<CartPage>
{
    public CartConnectionType()
    {
        Name = "CartConnection";
        Description = "A page of carts in the order asked for.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CartEdgeType>>>>("edges").Description("The carts of this page, each with its cursor.")
            .Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CartType>>>>("nodes").Description("The carts of this page.")
            .Resolve(c => c.Source.Carts);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Where this page sits.").Resolve(c => c.Source);
    }
}

public sealed class CartEdgeType : ObjectGraphType<CartEdge>
{
    public CartEdgeType()
    {
        Name = "CartEdge";
        Description = "A cart and its cursor.";
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("Pass it as `after` to get the carts that follow.")
            .Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<CartType>>("node").Description("The cart.").Resolve(c => c.Source.Cart);
    }
}

public sealed class PageInfoType : ObjectGraphType<IPageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Information about a page, as the Relay connection specification defines it.";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Description("Whether more items follow.").Resolve(c => c.Source.HasNextPage);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage").Description("Whether items precede this page.").Resolve(c => c.Source.HasPreviousPage);
        Field<StringGraphType>("startCursor").Description("The cursor of the first item; null on an empty page.").Resolve(c => c.Source.StartCursor);
        Field<StringGraphType>("endCursor").Description("The cursor of the last item; null on an empty page.").Resolve(c => c.Source.EndCursor);
    }
}
