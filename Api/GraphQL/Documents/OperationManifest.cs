using System.Text.Encodings.Web;
using System.Text.Json;
using CartGraph.Api.Transport.Persisted;
using GraphQLParser;
using GraphQLParser.AST;

namespace CartGraph.Api.GraphQL.Documents;

/// <summary>
/// The trusted documents: each operation of <c>Api/Operations</c> (compiled into this assembly) with the fragments it
/// spreads, printed stably, by its id <c>sha256:&lt;hex&gt;</c>; the same ids as GraphQL Code Generator's persisted
/// documents, so a frontend can send ids only. <c>documents export</c> prints it.
/// </summary>
public static class OperationManifest
{
    private const string ResourcePrefix = "Operations/";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Compiled = new(() => From(EmbeddedOperations()));

    /// <summary>Each trusted document's text by its id.</summary>
    public static IReadOnlyDictionary<string, string> Documents => Compiled.Value;

    /// <summary>The manifest as GraphQL Code Generator writes persisted-documents.json: <c>{ "sha256:&lt;hex&gt;": "&lt;document&gt;" }</c>.</summary>
    public static string ToJson() => JsonSerializer.Serialize(Documents, new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // the documents stay readable; it is JSON for a file, not for HTML
    });

    /// <summary>The manifest of the given operation files (fragments may be spread across files, as the generator allows).</summary>
    public static IReadOnlyDictionary<string, string> From(IEnumerable<string> files)
    {
        var source = string.Join("\n", files);
        var document = Parser.Parse(source, new ParserOptions { Ignore = IgnoreOptions.Comments }); // locations kept: they tell block strings
        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue);
        var manifest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            var text = StableDocumentPrinter.Print(new GraphQLDocument([operation, .. FragmentsOf(operation, fragments)]), source);
            manifest[DocumentIds.Sha256Id(text)] = text;
        }
        return manifest;
    }

    /// <summary>The fragments an operation spreads, directly or through other fragments, each once.</summary>
    private static List<GraphQLFragmentDefinition> FragmentsOf(GraphQLOperationDefinition operation, Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        var used = new List<GraphQLFragmentDefinition>();
        var pending = new Stack<GraphQLSelectionSet>([operation.SelectionSet]);
        while (pending.TryPop(out var set))
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField { SelectionSet: { } children }:
                        pending.Push(children);
                        break;
                    case GraphQLInlineFragment inline:
                        pending.Push(inline.SelectionSet);
                        break;
                    case GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment) && !used.Contains(fragment):
                        used.Add(fragment);
                        pending.Push(fragment.SelectionSet);
                        break;
                }
            }
        }
        return used;
    }

    private static IEnumerable<string> EmbeddedOperations()
    {
        var assembly = typeof(OperationManifest).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return reader.ReadToEnd();
        }
    }
}
