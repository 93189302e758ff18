using GraphQL;

namespace CartGraph.Api.GraphQL;

public static class CartSchemaRegistration
{
    /// <summary>The schema and every graph type of this assembly; needs nothing else to be printed.</summary>
    public static IServiceCollection AddCartSchema(this IServiceCollection services) =>
        services.AddGraphQL(graphQL => graphQL
            .AddSchema<CartSchema>()
            .AddGraphTypes(typeof(CartSchema).Assembly)
            // One execution and one serialized result per event for subscribers that would all get the same.
            .AddExecutionStrategy<Subscriptions.SharedEventExecution>(GraphQLParser.AST.OperationType.Subscription));

    /// <summary>The SDL of the schema, as <c>schema.graphql</c> holds it.</summary>
    public static string PrintSchema(IServiceProvider services) =>
        services.GetRequiredService<CartSchema>().Print(new global::GraphQL.Utilities.PrintOptions { IncludeDescriptions = true }).TrimEnd() + "\n";
}
