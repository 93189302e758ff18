using CartGraph.Api.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Types;

/// <summary>A page of a cart's history, Relay-style, each event with its cursor (<see cref="HistoryCursor"/>).</summary>
public sealed record CartEventPage(IReadOnlyList<CartEventModel> Events, bool HasNextPage, bool HasPreviousPage) : IPageInfo
{
    public string? StartCursor => Events.Count > 0 ? HistoryCursor.Of(Events[0].StreamPosition) : null;

    public string? EndCursor => Events.Count > 0 ? HistoryCursor.Of(Events[^1].StreamPosition) : null;
}

public sealed class CartEventConnectionType : ObjectGraphType<CartEventPage>
{
    public CartEventConnectionType()
    {
        Name = "CartEventConnection";
        Description = "A page of a cart's events, oldest first.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CartEventEdgeType>>>>("edges").Description("The events of this page, each with its cursor.")
            .Resolve(c => c.Source.Events);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CartEventType>>>>("nodes").Description("The events of this page.")
            .Resolve(c => c.Source.Events);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Where this page sits.").Resolve(c => c.Source);
    }
}

public sealed class CartEventEdgeType : ObjectGraphType<CartEventModel>
{
    public CartEventEdgeType()
    {
        Name = "CartEventEdge";
        Description = "An event of a cart's history and its cursor.";
        Field<NonNullGraphType<StringGraphType>>("cursor")
            .Description("Its stream position, opaque: pass it as cartHistory's `after` to get the events that follow (not the event's own `cursor`, which is for cartEvents).")
            .Resolve(c => HistoryCursor.Of(c.Source.StreamPosition));
        Field<NonNullGraphType<CartEventType>>("node").Description("The event.").Resolve(c => c.Source);
    }
}
