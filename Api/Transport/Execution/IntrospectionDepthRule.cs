using GraphQL.Validation;
using GraphQLParser.AST;

namespace CartGraph.Api.Transport.Execution;

/// <summary>
/// graphql-js's MaxIntrospectionDepthRule (a specified rule since graphql 16.9): under <c>__schema</c> or <c>__type</c>,
/// the type lists <c>fields</c>, <c>interfaces</c>, <c>possibleTypes</c> and <c>inputFields</c> may nest at most twice.
/// Each such level multiplies the answer by the size of the schema, and no tool's introspection query nests them.
/// </summary>
internal sealed class IntrospectionDepthRule : ValidationRuleBase
{
    public const int MaxListDepth = 3;

    public static readonly IntrospectionDepthRule Instance = new();

    private static readonly INodeVisitor Visitor = new MatchingNodeVisitor<GraphQLField>((field, context) =>
    {
        if (field.Name.Value.Span is not ("__schema" or "__type")) return;
        if (new Walk(context.Document).Exceeds(field, 0))
            context.ReportError(new IntrospectionTooDeepError(context.Document.Source, field));
    });

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(Visitor);

    /// <summary>One check from an introspection root. A fragment is entered again only at a deeper list depth than any
    /// it was entered at before (cycles end there), and one known to exceed at some depth exceeds at any deeper one.</summary>
    private sealed class Walk(GraphQLDocument document)
    {
        private readonly Dictionary<string, int> entered = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> exceededAt = new(StringComparer.Ordinal);
        private readonly Dictionary<string, GraphQLFragmentDefinition> fragments = document.Definitions.OfType<GraphQLFragmentDefinition>()
            .DistinctBy(f => f.FragmentName.Name.StringValue).ToDictionary(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal);

        public bool Exceeds(ASTNode node, int depth)
        {
            switch (node)
            {
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    if (exceededAt.TryGetValue(name, out var exceeded) && exceeded <= depth) return true;
                    if (entered.TryGetValue(name, out var before) && before >= depth) return false;
                    if (!fragments.TryGetValue(name, out var fragment)) return false; // KnownFragmentNames reports it
                    entered[name] = depth;
                    if (!Exceeds(fragment, depth)) return false;
                    exceededAt[name] = depth;
                    return true;
                case GraphQLField field when field.Name.Value.Span is "fields" or "interfaces" or "possibleTypes" or "inputFields":
                    if (++depth >= MaxListDepth) return true;
                    break;
            }
            var selections = node switch
            {
                GraphQLField field => field.SelectionSet,
                GraphQLInlineFragment inline => inline.SelectionSet,
                GraphQLFragmentDefinition fragment => fragment.SelectionSet,
                _ => null,
            };
            return selections is not null && selections.Selections.Any(child => Exceeds(child, depth));
        }
    }
}

/// <summary>Code INTROSPECTION_TOO_DEEP (from the type's name).</summary>
internal sealed class IntrospectionTooDeepError(GraphQLParser.ROM source, ASTNode node)
    : ValidationError(source, null, $"The introspection nests type lists (fields, interfaces, possibleTypes, inputFields) more than {IntrospectionDepthRule.MaxListDepth - 1} deep.", node);
