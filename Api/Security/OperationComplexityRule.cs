using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;

namespace CartGraph.Api.Security;

/// <summary>
/// The depth and cost limits of the operation a request runs, introspection aside: what <c>__schema</c> and
/// <c>__type</c> read is the schema, not the database, and the transport bounds it on its own (selections, nested type
/// lists). Every other field counts as GraphQL.NET counts it, in the same document as an introspection or not.
/// </summary>
internal sealed class OperationComplexityRule(ComplexityOptions options) : ComplexityValidationRule(options)
{
    protected override async ValueTask<(double TotalComplexity, int MaximumDepth)> CalculateComplexityAsync(ValidationContext context)
    {
        // The cost already leaves introspection out (see SecurityServices); the depth is measured here without it.
        var (cost, _) = await base.CalculateComplexityAsync(context);
        return (cost, new DepthWalk(context).Of(context.Operation.SelectionSet));
    }

    /// <summary>GraphQL.NET's measure of depth: the most fields with a selection set on one path, fragments followed,
    /// fields and fragments that <c>@skip</c>/<c>@include</c> leave out not counted.</summary>
    private sealed class DepthWalk(ValidationContext context)
    {
        private readonly Dictionary<string, int> fragmentDepths = new(StringComparer.Ordinal);
        private readonly HashSet<string> entered = new(StringComparer.Ordinal);

        public int Of(GraphQLSelectionSet set)
        {
            var deepest = 0;
            foreach (var selection in set.Selections)
            {
                if (!context.ShouldIncludeNode(selection)) continue;
                deepest = Math.Max(deepest, selection switch
                {
                    GraphQLField field when field.Name.Value.Span is "__schema" or "__type" => 0,
                    GraphQLField { SelectionSet: { } children } => 1 + Of(children),
                    GraphQLInlineFragment inline => Of(inline.SelectionSet),
                    GraphQLFragmentSpread spread => OfFragment(spread.FragmentName.Name.StringValue),
                    _ => 0,
                });
            }
            return deepest;
        }

        private int OfFragment(string name)
        {
            if (fragmentDepths.TryGetValue(name, out var known)) return known;
            // Validation has ruled out cycles and unknown fragments before this rule runs; both count as nothing here.
            if (!entered.Add(name) || context.Document.Definitions.OfType<GraphQLFragmentDefinition>()
                    .FirstOrDefault(f => f.FragmentName.Name.StringValue == name) is not { } fragment)
                return 0;
            return fragmentDepths[name] = Of(fragment.SelectionSet);
        }
    }
}
