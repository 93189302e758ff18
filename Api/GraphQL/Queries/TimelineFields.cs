using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Types;
using CartGraph.Api.Security;
using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.EventStore;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using LanguageExt;

namespace CartGraph.Api.GraphQL.Queries;

/// <summary>
/// Carts as they were, from their event streams: <c>cartAt(version | time)</c> and <c>cartHistory</c>, a page of events
/// at a time, each with the cart right after it.
/// </summary>
public static class TimelineFields
{
    public const int MaxHistoryPage = 1000;
    public const int DefaultHistoryPage = 100;

    public static void AddTimelineFields(this ObjectGraphType query)
    {
        query.Field<CartType>("cartAt")
            .Description("The cart as it was, folded from its event stream up to a version or as of a time (exactly one of the two); null when it did not exist yet. An archived cart too: archiving hides a cart from now on, not from its past. Past the stream's end, the cart as it is.")
            .Argument<NonNullGraphType<IdGraphType>>("tenantId", "The cart's tenant.")
            .Argument<NonNullGraphType<IdGraphType>>("cartId", "The cart.")
            .Argument<LongGraphType>("version", "A version (stream position) from 1: the cart right after the event at that position.")
            .Argument<DateTimeGraphType>("time", "A point in time: the cart after every event recorded at or before it.")
            .Resolve()
            .WithServices<TenantAccess, CartTimeline>()
            .ResolveAsync(async (context, access, timeline) =>
            {
                var tenant = Arguments.Tenant(context, access);
                var cartId = Arguments.CartId(context);
                var (version, time) = (context.GetArgument<long?>("version"), Time(context.GetArgument<object?>("time")));
                if (version.HasValue == time.HasValue) throw Arguments.Invalid("Give exactly one of version and time.");
                if (version is < 1) throw Arguments.Invalid("version must be 1 or more: a cart's first event is at version 1.");
                var at = await timeline.AtAsync(tenant, cartId, version ?? long.MaxValue, time, context.CancellationToken);
                return at.MatchUnsafe(Right: cart => (object?)cart.MatchUnsafe(c => c, () => null), Left: error => throw Unknown(cartId, error));
            });

        query.Field<NonNullGraphType<CartEventConnectionType>>("cartHistory")
            .Description($"A cart's events, oldest first, from its event stream, a page at a time (Relay connection; cursors by stream position), each with the cart right after it. {DefaultHistoryPage} per page unless asked, at most {MaxHistoryPage}. Empty for a cart that does not exist or was archived.")
            .Argument<NonNullGraphType<IdGraphType>>("tenantId", "The cart's tenant.")
            .Argument<NonNullGraphType<IdGraphType>>("cartId", "The cart.")
            .Argument<IntGraphType>("first", $"How many events: 1 to {MaxHistoryPage}, {DefaultHistoryPage} when omitted.")
            .Argument<StringGraphType>("after", "The endCursor of the previous page (or an edge's cursor).")
            .Resolve()
            .WithServices<TenantAccess, CartTimeline>()
            .ResolveAsync(async (context, access, timeline) =>
            {
                var tenant = Arguments.Tenant(context, access);
                var cartId = Arguments.CartId(context);
                var first = context.GetArgument<int?>("first") ?? DefaultHistoryPage;
                if (first is < 1 or > MaxHistoryPage) throw Arguments.Invalid($"first must be between 1 and {MaxHistoryPage}: read a longer history a page at a time.");
                var after = context.GetArgument<string?>("after") is { } cursor
                    ? HistoryCursor.Parse(cursor) ?? throw Arguments.Invalid("after is not a cursor of cartHistory: pass an endCursor or an edge's cursor.")
                    : 0;
                var (events, hasMore) = await timeline.PageAsync(tenant, cartId, after, first, context.CancellationToken);
                return (object)new CartEventPage(events, hasMore, after > 0);
            });
    }

    /// <summary>The event's cart: folded with its page, or, for a live event, folded up to it when asked for.</summary>
    public static void AddCartAfterField(this ObjectGraphType<CartEventModel> type) =>
        type.Field<CartType>("cart")
            .Description("The cart right after this event, folded from its stream. Null, with an error CART_UNREADABLE, from an event this version cannot read onwards.")
            .Resolve()
            .WithService<CartTimeline>()
            .ResolveAsync(async (context, timeline) =>
            {
                var @event = context.Source;
                var after = @event.After ?? await timeline.AtAsync(@event.Tenant, @event.CartId, @event.StreamPosition, null, context.CancellationToken);
                return after.MatchUnsafe(Right: cart => (object?)cart.MatchUnsafe(c => c, () => null), Left: error => throw Unknown(@event.CartId, error));
            });

    /// <summary>The time asked for; one without an offset is read as UTC, as every time this API gives is.</summary>
    private static DateTimeOffset? Time(object? time) => time switch
    {
        DateTimeOffset offset => offset,
        DateTime { Kind: DateTimeKind.Unspecified } unspecified => new DateTimeOffset(unspecified, TimeSpan.Zero),
        DateTime dateTime => new DateTimeOffset(dateTime.ToUniversalTime()),
        _ => null,
    };

    private static ExecutionError Unknown(string cartId, StreamError error) => error switch
    {
        StreamError.UnreadableMessage unreadable => new ExecutionError(
            $"Cart '{cartId}' cannot be folded past position {unreadable.Position}: its event there ({unreadable.MessageType}) is not in a form this service reads.")
        {
            Code = "CART_UNREADABLE",
        },
        _ => throw new InvalidOperationException(error.Message),
    };
}
