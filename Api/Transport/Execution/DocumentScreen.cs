using GraphQL;
using GraphQLParser.AST;

namespace CartGraph.Api.Transport.Execution;

/// <summary>How many selections a part of a document may hold, and how deep its fragments may spread within fragments.</summary>
internal readonly record struct DocumentBudget(int MaxSelections, int MaxFragmentNesting);

/// <summary>
/// A linear look at a newly parsed document before GraphQL validation, some of whose rules cost far more than linear
/// time: OverlappingFieldsCanBeMerged compares the fields of a selection set pairwise (reporting every conflicting
/// pair: 1 000 aliased fields in 12 KB make 250 000 errors and seconds of CPU) and each fragment with the fragments it
/// spreads (a 50 KB chain of 1 500 fragments takes over 10 s). So a document with more selections than allowed, or
/// with fragments spread inside fragments more deeply than allowed, is refused before validation.
/// </summary>
/// <remarks>
/// The document's introspection (what lies under <c>__schema</c> and <c>__type</c>, and fragments on the reserved
/// <c>__</c> types) is counted against a budget of its own, so that the introspection query of any tool passes whatever
/// the budget of the rest is, and the rest cannot borrow from it.
/// </remarks>
internal static class DocumentScreen
{
    /// <summary>Why the document may not be validated, or null when it may.</summary>
    /// <param name="budget">Fields, fragment spreads and inline fragments in the document as written (introspection
    /// aside), and how deep fragments may be spread within fragments (a spread of a fragment that spreads none is 1).</param>
    /// <param name="introspection">The same for the document's introspection.</param>
    public static ExecutionResult? Refusal(GraphQLDocument document, DocumentBudget budget, DocumentBudget introspection)
    {
        int selections = 0, introspectionSelections = 0;
        var spreadsOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var introspective = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(GraphQLSelectionSet Set, bool Introspection)>();
        foreach (var definition in document.Definitions)
        {
            var (root, spreads, isIntrospection) = definition switch
            {
                GraphQLOperationDefinition operation => (operation.SelectionSet, (List<string>?)null, false),
                GraphQLFragmentDefinition fragment => (fragment.SelectionSet, SpreadsOf(spreadsOf, fragment.FragmentName.Name.StringValue),
                    IsIntrospectionType(fragment.TypeCondition.Type.Name) && introspective.Add(fragment.FragmentName.Name.StringValue)),
                _ => (null, null, false),
            };
            if (root is null) continue;
            pending.Push((root, isIntrospection));
            while (pending.TryPop(out var entry))
            {
                foreach (var selection in entry.Set.Selections)
                {
                    var inIntrospection = entry.Introspection || selection is GraphQLField field && IsIntrospectionRoot(field);
                    if (inIntrospection ? ++introspectionSelections > introspection.MaxSelections : ++selections > budget.MaxSelections)
                        return TransportError.Result(TransportError.DocumentTooLarge, inIntrospection
                            ? $"The document's introspection has more than {introspection.MaxSelections} selections (fields, fragment spreads, inline fragments)."
                            : $"The document has more than {budget.MaxSelections} selections (fields, fragment spreads, inline fragments).");
                    switch (selection)
                    {
                        case GraphQLField { SelectionSet: { } children }:
                            pending.Push((children, inIntrospection));
                            break;
                        case GraphQLInlineFragment inline:
                            pending.Push((inline.SelectionSet, inIntrospection));
                            break;
                        case GraphQLFragmentSpread spread:
                            spreads?.Add(spread.FragmentName.Name.StringValue); // only fragments' spreads feed the nesting below
                            break;
                    }
                }
            }
        }

        // Every fragment counts, used or not: validation looks into each one. Each is held to the limit of its kind, so
        // no chain of spreads, however it mixes the two kinds, is deeper than the larger limit.
        var limit = Math.Max(budget.MaxFragmentNesting, introspection.MaxFragmentNesting);
        var nesting = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fragment in spreadsOf.Keys)
        {
            var allowed = introspective.Contains(fragment) ? introspection.MaxFragmentNesting : budget.MaxFragmentNesting;
            if (Nesting(fragment, spreadsOf, nesting, visiting, limit) > allowed)
                return TransportError.Result(TransportError.DocumentTooDeep, $"Fragments are spread within fragments more than {allowed} deep.");
        }
        return null;
    }

    /// <summary>Names starting with <c>__</c> are reserved for introspection by the GraphQL spec.</summary>
    private static bool IsIntrospectionType(GraphQLName type) => type.Value.Span.StartsWith("__");

    /// <summary>The fields whose selections read the schema (valid only on the query root; validation checks that).</summary>
    private static bool IsIntrospectionRoot(GraphQLField field) => field.Name.Value.Span is "__schema" or "__type";

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
