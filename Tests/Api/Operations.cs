using System.Text.RegularExpressions;

namespace CartGraph.Tests.Api;

/// <summary>
/// The documents of <c>Api/Operations</c>, each with the fragments it uses: the end-to-end specs send exactly what
/// frontend teams generate code from, so the two cannot drift apart.
/// </summary>
public static partial class Operations
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Operations");

    private static readonly Lazy<Dictionary<string, string>> Fragments = new(() =>
        Directory.GetFiles(Folder, "*.graphql")
            .SelectMany(file => FragmentDefinition().Matches(File.ReadAllText(file)))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Value));

    /// <summary>The operation in <c>{name}.graphql</c> with every fragment it spreads, directly or not.</summary>
    public static string Document(string name)
    {
        var operation = File.ReadAllText(Path.Combine(Folder, $"{name}.graphql"));
        var used = new List<string>();
        var pending = new Queue<string>(Spreads(operation));
        while (pending.TryDequeue(out var fragment))
        {
            if (used.Contains(fragment)) continue;
            used.Add(fragment);
            foreach (var nested in Spreads(Fragments.Value[fragment])) pending.Enqueue(nested);
        }
        return string.Join("\n\n", [operation, .. used.Select(f => Fragments.Value[f])]);
    }

    private static IEnumerable<string> Spreads(string text) => FragmentSpread().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"fragment (?<name>\w+) on \w+ \{(?>[^{}]+|\{(?<depth>)|\}(?<-depth>))*\}", RegexOptions.Multiline)]
    private static partial Regex FragmentDefinition();

    [GeneratedRegex(@"\.\.\.\s*(?!on\b)(\w+)")]
    private static partial Regex FragmentSpread();
}
