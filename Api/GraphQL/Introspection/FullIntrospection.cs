using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace CartGraph.Api.GraphQL.Introspection;

/// <summary>
/// Makes a schema answer the introspection query tools send (graphql-js's <c>getIntrospectionQuery()</c> with any of
/// its options: Code Generator, Apollo Rover, GraphiQL, Altair turn them on): <c>__Directive.isRepeatable</c>,
/// deprecated arguments and input fields (<c>includeDeprecated</c>, <c>isDeprecated</c>), <c>__Type.specifiedByURL</c>
/// and <c>__Directive.args(includeDeprecated:)</c>. GraphQL.NET 8 has the first two behind schema features and lacks
/// the last two, which are added here.
/// </summary>
public static class FullIntrospection
{
    /// <remarks>Call before the schema is initialized (in its constructor).</remarks>
    public static TSchema AnswerFullIntrospection<TSchema>(this TSchema schema) where TSchema : ISchema
    {
        schema.Features.RepeatableDirectives = true;
        schema.Features.DeprecationOfInputValues = true;
        schema.RegisterVisitor(new MissingFields());
        return schema;
    }

    private sealed class MissingFields : BaseSchemaNodeVisitor
    {
        public override void VisitObject(IObjectGraphType type, ISchema schema)
        {
            switch (type.Name)
            {
                case "__Type" when type.GetField("specifiedByURL") is null:
                    // No scalar of ours names a specification: the field answers null, as graphql-js does for such scalars.
                    type.AddField(new FieldType
                    {
                        Name = "specifiedByURL",
                        ResolvedType = schema.AllTypes["String"],
                        Resolver = new FuncFieldResolver<object?>(_ => null),
                    });
                    break;
                case "__Directive" when type.GetField("args") is { } args && args.Arguments?.Find("includeDeprecated") is null:
                    args.Arguments ??= [];
                    args.Arguments.Add(new QueryArgument(schema.AllTypes["Boolean"]!) { Name = "includeDeprecated", DefaultValue = false });
                    args.Resolver = new FuncFieldResolver<Directive, IEnumerable<QueryArgument>>(context =>
                    {
                        IEnumerable<QueryArgument> all = context.Source.Arguments ?? [];
                        return context.GetArgument<bool>("includeDeprecated") ? all : all.Where(a => a.DeprecationReason is null);
                    });
                    break;
            }
        }
    }
}
