using CartGraph.Api.GraphQL.Queries;
using CartGraph.Api.GraphQL.Types;
using CartGraph.Api.Realtime;
using GraphQL;
using GraphQL.Types;
using CartGraph.Api.Security;

namespace CartGraph.Api.GraphQL.Subscriptions;

/// <summary>Live feeds over WebSocket (graphql-transport-ws), fed by the projection through LISTEN/NOTIFY on every instance.</summary>
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
            .Resolve(context => context.Source)
            .ResolveStreamAsync<object?, object, TenantAccess, CartFeed>((context, access, feed) =>
                feed.CartChangedAsync(Arguments.Tenant(context, access), Arguments.CartId(context), afterVersion: null, context.CancellationToken));

        Field<NonNullGraphType<CartEventType>>("cartEvents")
            .Description("Each new event of one cart, or of every cart of the tenant when cartId is omitted, in commit order.")
            .Argument<NonNullGraphType<IdGraphType>>("tenantId", "The tenant.")
            .Argument<IdGraphType>("cartId", "One cart; every cart of the tenant when omitted.")
            .Resolve(context => context.Source)
            .ResolveStreamAsync<object?, object, TenantAccess, CartFeed>((context, access, feed) =>
                feed.CartEventsAsync(Arguments.Tenant(context, access), Arguments.OptionalCartId(context), after: null, context.CancellationToken));
    }
}
