using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Relay;
using CartGraph.Api.GraphQL.Types;
using CartGraph.Api.Realtime;
using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.ReadModels;
using GraphQL;
using GraphQL.Types;
using CartGraph.Api.Security;
using GraphQL.MicrosoftDI;

namespace CartGraph.Api.GraphQL.Queries;

/// <summary>Reads of the carts read model; carts as they were come from their streams (<see cref="TimelineFields"/>).</summary>
public sealed class CartQueries : ObjectGraphType
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    /// <summary>How long <c>cart(atLeastVersion:)</c> waits for the projection at most.</summary>
    public static readonly TimeSpan MaxWaitForVersion = TimeSpan.FromSeconds(5);

    public CartQueries()
    {
        Name = "Query";
        Description = "Carts as the read model holds them.";

        Field<CartType>("cart")
            .Description("One cart, or null when there is none. With atLeastVersion, waits (up to 5 s) until the read model has caught up with that version, so a client reads its own write.")
            .Argument<NonNullGraphType<IdGraphType>>("tenantId", "The cart's tenant.")
            .Argument<NonNullGraphType<IdGraphType>>("cartId", "The cart.")
            .Argument<LongGraphType>("atLeastVersion", "A version the client has seen, e.g. from a mutation's payload.")
            .Resolve()
            .WithServices<TenantAccess, CartReads, CartFeed>()
            .ResolveAsync(async (context, access, reads, feed) =>
            {
                var tenant = Arguments.Tenant(context, access);
                var cartId = Arguments.CartId(context);
                return context.GetArgument<long?>("atLeastVersion") is { } version
                    ? await feed.WaitForVersionAsync(tenant, cartId, version, MaxWaitForVersion, context.CancellationToken)
                    : await reads.GetAsync(tenant, cartId, context.CancellationToken);
            });

        Field<NonNullGraphType<CartConnectionType>>("carts")
            .Description($"A tenant's carts in the order asked for (cart id by default), a page at a time (Relay connection; keyset cursors, so pages stay stable while carts change). At most {MaxPageSize} per page.")
            .Argument<NonNullGraphType<IdGraphType>>("tenantId", "The tenant.")
            .Argument<IntGraphType>("first", $"How many carts: 1 to {MaxPageSize}, {DefaultPageSize} when omitted.")
            .Argument<StringGraphType>("after", "The endCursor of the previous page.")
            .Argument<CartStatusType>("status", "Only carts of this status.")
            .Argument<CartOrderType>("orderBy", "The order: CART_ID when omitted. A cursor belongs to its order.")
            .Resolve()
            .WithServices<TenantAccess, CartReads>()
            .ResolveAsync(async (context, access, reads) =>
            {
                var tenant = Arguments.Tenant(context, access);
                var first = context.GetArgument<int?>("first") ?? DefaultPageSize;
                if (first is < 1 or > MaxPageSize) throw Arguments.Invalid($"first must be between 1 and {MaxPageSize}.");
                var order = context.GetArgument("orderBy", CartOrder.CartId);
                var after = context.GetArgument<string?>("after") is { } cursor
                    ? CartCursor.Parse(order, cursor) ?? throw Arguments.Invalid("after is not a cursor of this connection in this order.")
                    : null;
                var page = await reads.PageAsync(tenant, order, after, first, context.GetArgument<CartStatus?>("status"), context.CancellationToken)
                    ?? throw Arguments.Invalid($"orderBy {order} needs version {CartPages.NeedsVersion(order)} of the carts read model, which is being built: run `rebuild`, or ask again once it is served.");
                var edges = page.Carts.Select(c => new CartEdge(c.Cart, CartCursor.Of(order, c.Position))).ToList();
                return (object)new CartPage(edges, page.HasMore, after is not null);
            });

        this.AddTimelineFields();
        this.AddNodeFields();
    }
}
