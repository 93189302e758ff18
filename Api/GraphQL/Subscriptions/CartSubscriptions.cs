using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Queries;
using CartGraph.Api.GraphQL.Types;
using CartGraph.Api.Realtime;
using GraphQL;
using GraphQL.Types;
using CartGraph.Api.Security;

namespace CartGraph.Api.GraphQL.Subscriptions;

/// <summary>Live feeds over WebSocket (graphql-transport-ws) and Server-Sent Events, fed by the projection through LISTEN/NOTIFY on every instance.</summary>
public sealed class CartSubscriptions : ObjectGraphType
{
    public CartSubscriptions()
    {
        Name = "Subscription";
        Description = "Live changes of carts, whichever API instance made them.";

        Field<NonNullGraphType<CartType>>("cartChanged")
            .Description("The cart each time the read model has applied a change to it. Completes when the cart is archived.")
            .Argument<NonNullGraphType<IdGraphType>>("tenantId", "The cart's tenant.")
            .Argument<NonNullGraphType<IdGraphType>>("cartId", "The cart.")
            .Argument<LongGraphType>("afterVersion", "The version the client has: a newer cart is pushed at once. From the cart as it is when omitted.")
            .Resolve(context => context.Source)
            .ResolveStreamAsync<object?, object, TenantAccess, CartFeed>((context, access, feed) =>
                feed.CartChangedAsync(Arguments.Tenant(context, access), Arguments.CartId(context), context.GetArgument<long?>("afterVersion"), context.CancellationToken));

        Field<NonNullGraphType<CartEventType>>("cartEvents")
            .Description("Each new event of one cart, or of every cart of the tenant when cartId is omitted, in commit order. With after, first every event after that cursor, then the new ones, none missed or repeated.")
            .Argument<NonNullGraphType<IdGraphType>>("tenantId", "The tenant.")
            .Argument<IdGraphType>("cartId", "One cart; every cart of the tenant when omitted.")
            .Argument<StringGraphType>("after", "The cursor of the last event the client has (INVALID_CURSOR if it is none, CURSOR_OF_ANOTHER_TENANT if it is another tenant's); from now when omitted. Over Server-Sent Events, a Last-Event-ID header takes its place.")
            .Resolve(context => context.Source)
            .ResolveStreamAsync<object?, object, TenantAccess, CartFeed>((context, access, feed) =>
            {
                var tenant = Arguments.Tenant(context, access);
                var after = CartEventIds.ResumeAfter(context) is { } cursor ? EventCursor.Decode(tenant, cursor) : null;
                return feed.CartEventsAsync(tenant, Arguments.OptionalCartId(context), after, context.CancellationToken);
            });
    }
}
