using CartGraph.Api.GraphQL.Introspection;
using CartGraph.Api.GraphQL.Mutations;
using CartGraph.Api.GraphQL.Queries;
using CartGraph.Api.GraphQL.Subscriptions;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL;

/// <summary>The CartGraph schema: what <c>schema.graphql</c> holds and <c>/graphql</c> serves.</summary>
public sealed class CartSchema : Schema
{
    public CartSchema(IServiceProvider services) : base(services)
    {
        Description = "Event-sourced shopping carts.";
        Query = new CartQueries();
        Mutation = new CartMutations();
        Subscription = new CartSubscriptions();
        // The built-in scalars, with descriptions for the IDE's docs and for code generators.
        RegisterType(new DecimalGraphType { Description = "A decimal number, exact: money is never a float. Serialized as a JSON number." });
        RegisterType(new LongGraphType { Description = "A 64-bit integer: versions and positions." });
        RegisterType(new DateTimeGraphType { Description = "A point in time, ISO-8601 in UTC, e.g. 2026-11-26T09:30:00.000Z." });
        this.AnswerFullIntrospection();
    }
}
