using System.Text;

namespace CartGraph.Api.GraphQL.Documents;

/// <summary>String values printed as graphql-js 16 prints them (<c>printString</c>, <c>printBlockString</c>).</summary>
internal static class GraphQLStrings
{
    /// <summary>In double quotes, with C0 and C1 controls, <c>"</c> and <c>\</c> escaped.</summary>
    public static string PrintString(string value)
    {
        var printed = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            printed.Append(c switch
            {
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                '"' => "\\\"",
                '\\' => "\\\\",
                < '\u0020' or (>= '\u007f' and <= '\u009f') => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return printed.Append('"').ToString();
    }

    /// <summary>In triple quotes, on lines of its own when that reads better or is needed.</summary>
    public static string PrintBlockString(string value)
    {
        var escaped = value.Replace("\"\"\"", "\\\"\"\"", StringComparison.Ordinal);
        var lines = escaped.Split(["\r\n", "\n", "\r"], StringSplitOptions.None);
        var isSingleLine = lines.Length == 1;
        var forceLeadingNewLine = lines.Length > 1 && lines.Skip(1).All(line => line.Length == 0 || line[0] is ' ' or '\t');
        var hasTrailingTripleQuotes = escaped.EndsWith("\\\"\"\"", StringComparison.Ordinal);
        var forceTrailingNewLine = (value.EndsWith('"') && !hasTrailingTripleQuotes) || value.EndsWith('\\');
        var asMultipleLines = !isSingleLine || value.Length > 70 || forceTrailingNewLine || forceLeadingNewLine || hasTrailingTripleQuotes;
        var skipLeadingNewLine = isSingleLine && value.Length > 0 && value[0] is ' ' or '\t';
        var result = new StringBuilder("\"\"\"");
        if ((asMultipleLines && !skipLeadingNewLine) || forceLeadingNewLine) result.Append('\n');
        result.Append(escaped);
        if (asMultipleLines || forceTrailingNewLine) result.Append('\n');
        return result.Append("\"\"\"").ToString();
    }
}
