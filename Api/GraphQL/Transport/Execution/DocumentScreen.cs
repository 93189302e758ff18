using GraphQL;
using GraphQLParser.AST;

namespace CartGraph.Api.GraphQL.Transport.Execution;

/// <summary>
/// A linear look at a newly parsed document before GraphQL validation, some of whose rules cost far more than linear
/// time: OverlappingFieldsCanBeMerged compares the fields of a selection set pairwise (reporting every conflicting
/// pair: 1 000 aliased fields in 12 KB make 250 000 errors and seconds of CPU) and each fragment with the fragments it
/// spreads (a 50 KB chain of 1 500 fragments takes over 10 s). So a document with more selections than allowed, or
/// with fragments spread inside fragments more deeply than allowed, is refused before validation.
/// </summary>
internal static class DocumentScreen
{
    /// <summary>Why the document may not be validated, or null when it may.</summary>
    /// <param name="maxSelections">Fields, fragment spreads and inline fragments in the whole document, as written.</param>
    /// <param name="maxFragmentNesting">Fragments spread within fragments (a spread of a fragment that spreads none is 1).</param>
    public static ExecutionResult? Refusal(GraphQLDocument document, int maxSelections, int maxFragmentNesting)
    {
        var selections = 0;
        var spreadsOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var pending = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
        {
            var (root, spreads) = definition switch
            {
                GraphQLOperationDefinition operation => (operation.SelectionSet, (List<string>?)null),
                GraphQLFragmentDefinition fragment => (fragment.SelectionSet, SpreadsOf(spreadsOf, fragment.FragmentName.Name.StringValue)),
                _ => (null, null),
            };
            if (root is null) continue;
            pending.Push(root);
            while (pending.TryPop(out var set))
            {
                foreach (var selection in set.Selections)
                {
                    if (++selections > maxSelections)
                        return TransportError.Result(TransportError.DocumentTooLarge,
                            $"The document has more than {maxSelections} selections (fields, fragment spreads, inline fragments).");
                    switch (selection)
                    {
                        case GraphQLField { SelectionSet: { } children }:
                            pending.Push(children);
                            break;
                        case GraphQLInlineFragment inline:
                            pending.Push(inline.SelectionSet);
                            break;
                        case GraphQLFragmentSpread spread:
                            spreads?.Add(spread.FragmentName.Name.StringValue); // only fragments' spreads feed the nesting below
                            break;
                    }
                }
            }
        }

        // Every fragment counts, used or not: validation looks into each one.
        var nesting = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        return spreadsOf.Keys.Any(fragment => Nesting(fragment, spreadsOf, nesting, visiting, maxFragmentNesting) > maxFragmentNesting)
            ? TransportError.Result(TransportError.DocumentTooDeep, $"Fragments are spread within fragments more than {maxFragmentNesting} deep.")
            : null;
    }

    /// <summary>The spreads of a fragment; a name defined twice (a validation error) keeps them all.</summary>
    private static List<string> SpreadsOf(Dictionary<string, List<string>> spreadsOf, string fragment) =>
        spreadsOf.TryGetValue(fragment, out var spreads) ? spreads : spreadsOf[fragment] = [];

    /// <summary>
    /// How deep the fragment's spreads go, or more than <paramref name="limit"/> once that is certain. A spread back into
    /// a fragment being visited ends the path there: a cycle counts its length, so a short one is left to the spec's
    /// NoFragmentCycles rule and a long one is refused here.
    /// </summary>
    /// <param name="above">Fragments above this one on the path: the recursion stops past the limit.</param>
    private static int Nesting(
        string fragment, Dictionary<string, List<string>> spreadsOf, Dictionary<string, int> nesting, HashSet<string> visiting, int limit, int above = 0)
    {
        if (nesting.TryGetValue(fragment, out var known)) return known;
        if (!spreadsOf.TryGetValue(fragment, out var spreads) || visiting.Contains(fragment)) return 0;
        if (above >= limit) return limit + 1;
        visiting.Add(fragment);
        var deepest = 0;
        foreach (var spread in spreads)
        {
            deepest = Math.Max(deepest, Nesting(spread, spreadsOf, nesting, visiting, limit, above + 1));
            if (deepest >= limit) break; // too deep already
        }
        visiting.Remove(fragment);
        return nesting[fragment] = deepest + 1;
    }
}
