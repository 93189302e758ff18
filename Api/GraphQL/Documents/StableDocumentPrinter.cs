using System.Text;
using System.Text.RegularExpressions;
using GraphQLParser;
using GraphQLParser.AST;

namespace CartGraph.Api.GraphQL.Documents;

/// <summary>
/// Prints an executable document in a stable form, character for character as GraphQL Code Generator's client preset
/// prints its persisted documents (<c>printExecutableGraphQLDocument</c> of @graphql-tools/documents: definitions,
/// selections, variables and directive arguments sorted by name, then graphql-js's <c>print</c> with every run of white
/// space made one space). The SHA-256 of this text is the document's id, so ids computed here are the ones a
/// frontend's generated code sends. A spec runs the generator and compares.
/// </summary>
/// <remarks>
/// What is sorted, as there: definitions (fragments before operations, each by name), variable definitions, the
/// selections of every selection set (fields by name, then fragment spreads by name, then inline fragments by type
/// condition and content) but those at the root of a mutation (their order is the order of execution), and the
/// arguments of directives. Field arguments keep their order.
/// </remarks>
public static partial class StableDocumentPrinter
{
    private const int MaxLineLength = 80;

    public static string Print(GraphQLDocument document, string source)
    {
        var printer = new Printer(source);
        var definitions = document.Definitions
            .Select((definition, index) => (definition, index))
            .OrderBy(d => d.definition is GraphQLFragmentDefinition ? "FragmentDefinition" : "OperationDefinition", StringComparer.Ordinal)
            .ThenBy(d => NameOf(d.definition) is null ? 1 : 0)
            .ThenBy(d => NameOf(d.definition), StringComparer.Ordinal)
            .ThenBy(d => d.index)
            .Select(d => printer.Definition(d.definition));
        return Normalize(string.Join("\n\n", definitions));
    }

    private static string? NameOf(ASTNode definition) => definition switch
    {
        GraphQLOperationDefinition { Name: { } name } => name.StringValue,
        GraphQLFragmentDefinition fragment => fragment.FragmentName.Name.StringValue,
        _ => null,
    };

    /// <summary>JavaScript's <c>/\s+/g</c> replaced by one space, then trimmed (JavaScript's white space, not .NET's).</summary>
    private static string Normalize(string text) => JsWhiteSpace().Replace(text, " ").Trim(JsWhiteSpaceChars);

    private const string JsWhiteSpaceClass = @"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]";

    private static readonly char[] JsWhiteSpaceChars =
        [.. "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff", .. Enumerable.Range(0x2000, 11).Select(c => (char)c)];

    [GeneratedRegex(JsWhiteSpaceClass + "+")]
    private static partial Regex JsWhiteSpace();

    private sealed class Printer(string source)
    {
        public string Definition(ASTNode definition) => definition switch
        {
            GraphQLOperationDefinition operation => Operation(operation),
            GraphQLFragmentDefinition fragment =>
                $"fragment {fragment.FragmentName.Name.StringValue} on {fragment.TypeCondition.Type.Name.StringValue} "
                + Wrap("", Directives(fragment.Directives, sort: true), " ") + SelectionSet(fragment.SelectionSet, sort: true),
            _ => throw new ArgumentException($"Not an executable definition: {definition.Kind}", nameof(definition)),
        };

        private string Operation(GraphQLOperationDefinition operation)
        {
            var keyword = operation.Operation switch
            {
                OperationType.Query => "query",
                OperationType.Mutation => "mutation",
                _ => "subscription",
            };
            var variables = (operation.Variables?.Items ?? [])
                .Select((v, i) => (v, i)).OrderBy(p => p.v.Variable.Name.StringValue, StringComparer.Ordinal).ThenBy(p => p.i)
                .Select(p => Variable(p.v)).ToList();
            var variableList = variables.Any(v => v.Contains('\n')) ? Wrap("(\n", string.Join("\n", variables), "\n)") : Wrap("(", string.Join(", ", variables), ")");
            var prefix = Join(" ", keyword, (operation.Name?.StringValue ?? "") + variableList, Directives(operation.Directives, sort: false));
            // A mutation's root fields run in the order written: they stay in it.
            var selections = SelectionSet(operation.SelectionSet, sort: operation.Operation != OperationType.Mutation);
            return prefix == "query" ? selections : prefix + " " + selections;
        }

        private string Variable(GraphQLVariableDefinition variable) =>
            "$" + variable.Variable.Name.StringValue + ": " + Type(variable.Type)
            + Wrap(" = ", variable.DefaultValue is null ? "" : Value(variable.DefaultValue)) + Wrap(" ", Directives(variable.Directives, sort: false));

        /// <param name="sort">False under a mutation's root, where inline fragments keep their selections' order too.</param>
        private string SelectionSet(GraphQLSelectionSet set, bool sort) =>
            "{\n" + string.Join("\n", (sort ? Sorted(set.Selections) : set.Selections).Select(s => Selection(s, sort))) + "\n}";

        private string Selection(ASTNode selection, bool sortedSet) => selection switch
        {
            GraphQLField field => Field(field),
            GraphQLFragmentSpread spread => "..." + spread.FragmentName.Name.StringValue + Wrap(" ", Directives(spread.Directives, sort: true)),
            GraphQLInlineFragment inline => Join(" ", "...", Wrap("on ", inline.TypeCondition?.Type.Name.StringValue ?? ""),
                Directives(inline.Directives, sort: sortedSet), SelectionSet(inline.SelectionSet, sortedSet)),
            _ => throw new ArgumentException($"Not a selection: {selection.Kind}", nameof(selection)),
        };

        private string Field(GraphQLField field) =>
            FieldLine(field) + (field.SelectionSet is { } children ? " " + SelectionSet(children, sort: true) : "");

        /// <summary>A field up to its selections; graphql-js puts arguments on lines of their own past 80 characters.</summary>
        private string FieldLine(GraphQLField field)
        {
            var prefix = (field.Alias is { } alias ? alias.Name.StringValue + ": " : "") + field.Name.StringValue;
            var arguments = (field.Arguments?.Items ?? []).Select(Argument).ToList();
            var line = arguments.Count == 0 ? prefix
                : prefix.Length + JoinedLength(arguments, ", ") + 2 > MaxLineLength ? prefix + "(\n" + string.Join("\n", arguments) + "\n)"
                : prefix + "(" + string.Join(", ", arguments) + ")";
            return line + Wrap(" ", Directives(field.Directives, sort: false));
        }

        /// <summary>The order of @graphql-tools/documents: fields, then fragment spreads, then inline fragments, each by name
        /// (an inline fragment by its type condition and its selections, sorted and printed), stable among equals.</summary>
        private List<ASTNode> Sorted(List<ASTNode> selections) =>
            selections.Select((s, i) => (s, i)).OrderBy(p => SortKey(p.s), StringComparer.Ordinal).ThenBy(p => p.i).Select(p => p.s).ToList();

        private string SortKey(ASTNode selection) => selection switch
        {
            GraphQLField field => "0" + field.Name.StringValue,
            GraphQLFragmentSpread spread => "1" + spread.FragmentName.Name.StringValue,
            GraphQLInlineFragment inline => "2" + (inline.TypeCondition?.Type.Name.StringValue ?? "")
                + Normalize(string.Join(" ", Sorted(inline.SelectionSet.Selections).Select(AsWritten))),
            _ => "",
        };

        /// <summary>A selection printed as graphql-js prints it, its own selections in the order written.</summary>
        private string AsWritten(ASTNode selection) => selection switch
        {
            GraphQLField field => FieldAsWritten(field),
            GraphQLFragmentSpread spread => "..." + spread.FragmentName.Name.StringValue + Wrap(" ", Directives(spread.Directives, sort: false)),
            GraphQLInlineFragment inline => Join(" ", "...", Wrap("on ", inline.TypeCondition?.Type.Name.StringValue ?? ""),
                Directives(inline.Directives, sort: false), "{\n" + string.Join("\n", inline.SelectionSet.Selections.Select(AsWritten)) + "\n}"),
            _ => "",
        };

        private string FieldAsWritten(GraphQLField field) =>
            FieldLine(field) + (field.SelectionSet is { } children ? " {\n" + string.Join("\n", children.Selections.Select(AsWritten)) + "\n}" : "");

        private string Directives(GraphQLDirectives? directives, bool sort)
        {
            var items = directives?.Items ?? [];
            var ordered = sort ? items.Select((d, i) => (d, i)).OrderBy(p => p.d.Name.StringValue, StringComparer.Ordinal).ThenBy(p => p.i).Select(p => p.d) : items;
            return string.Join(" ", ordered.Select(d => "@" + d.Name.StringValue + Wrap("(", string.Join(", ",
                (d.Arguments?.Items ?? []).Select((a, i) => (a, i)).OrderBy(p => p.a.Name.StringValue, StringComparer.Ordinal).ThenBy(p => p.i)
                    .Select(p => Argument(p.a))), ")")));
        }

        private string Argument(GraphQLArgument argument) => argument.Name.StringValue + ": " + Value(argument.Value);

        private string Value(GraphQLValue value) => value switch
        {
            GraphQLVariable variable => "$" + variable.Name.StringValue,
            GraphQLIntValue i => i.Value.ToString(),
            GraphQLFloatValue f => f.Value.ToString(),
            GraphQLStringValue s => IsBlockString(s) ? GraphQLStrings.PrintBlockString(s.Value.ToString()) : GraphQLStrings.PrintString(s.Value.ToString()),
            GraphQLBooleanValue b => b.BoolValue ? "true" : "false",
            GraphQLNullValue => "null",
            GraphQLEnumValue e => e.Name.StringValue,
            GraphQLListValue list => "[" + string.Join(", ", (list.Values ?? []).Select(Value)) + "]",
            GraphQLObjectValue obj => "{" + string.Join(", ", (obj.Fields ?? []).Select(f => f.Name.StringValue + ": " + Value(f.Value))) + "}",
            _ => throw new ArgumentException($"Not a value: {value.Kind}", nameof(value)),
        };

        /// <summary>Whether the value was written as a block string, from its place in the source (the AST does not say).</summary>
        /// <remarks>NOTE: GraphQL-Parser 9 starts a block string's location at the last of its three opening quotes.</remarks>
        private bool IsBlockString(GraphQLStringValue value) =>
            TripleQuoteAt(value.Location.End - 3) && (TripleQuoteAt(value.Location.Start) || TripleQuoteAt(value.Location.Start - 2));

        private bool TripleQuoteAt(int index) => index >= 0 && index + 3 <= source.Length && source.AsSpan(index, 3) is "\"\"\"";

        private static string Type(GraphQLType type) => type switch
        {
            GraphQLNamedType named => named.Name.StringValue,
            GraphQLListType list => "[" + Type(list.Type) + "]",
            GraphQLNonNullType nonNull => Type(nonNull.Type) + "!",
            _ => throw new ArgumentException($"Not a type: {type.Kind}", nameof(type)),
        };
    }

    private static string Wrap(string start, string inner, string end = "") => inner.Length == 0 ? "" : start + inner + end;

    private static string Join(string separator, params string[] parts) => string.Join(separator, parts.Where(p => p.Length > 0));

    private static int JoinedLength(List<string> items, string separator) =>
        items.Where(i => i.Length > 0).Select(i => i.Length).Aggregate(0, (total, length) => total == 0 ? length : total + separator.Length + length);
}
