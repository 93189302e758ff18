using System.Text.RegularExpressions;

namespace CartGraph.Tests.Api.Security;

/// <summary>What a response must never show of the server: exceptions, stack frames, SQL, where the database is.</summary>
public static partial class Leaks
{
    private static readonly string[] Markers =
    [
        "Exception", "Npgsql", "PostgreSQL", "StackTrace", " at CartGraph.", " at System.", " at GraphQL.", ".cs:line", "   at ",
        "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "emt_", "FROM carts", "Host=", "Password=", "Username=", "Database=",
        "System.", "CartGraph.", "/work/", "/tmp/",
    ];

    /// <summary>
    /// The markers of <paramref name="response"/> that are not in <paramref name="request"/> (an error message may
    /// quote what the client sent), nor in the connection string's parts.
    /// </summary>
    public static IReadOnlyList<string> In(string response, string request, string connectionString)
    {
        var found = Markers.Where(m => response.Contains(m, StringComparison.Ordinal) && !request.Contains(m, StringComparison.Ordinal)).ToList();
        found.AddRange(ConnectionParts(connectionString).Where(p => response.Contains(p, StringComparison.Ordinal) && !request.Contains(p, StringComparison.Ordinal)));
        if (StackFrame().Match(response) is { Success: true } frame && !request.Contains(frame.Value, StringComparison.Ordinal)) found.Add(frame.Value);
        return found;
    }

    /// <summary>The values of the connection string that would tell where the database is (host, database, user, password).</summary>
    private static IEnumerable<string> ConnectionParts(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) is var parts
            ? new[] { parts.Database, parts.Username, parts.Password, $"{parts.Host}:{parts.Port}", connectionString }
                .Where(p => p is { Length: >= 6 }).Cast<string>()
            : [];

    [GeneratedRegex(@"\bat [A-Za-z_][\w.`<>]*\.[\w<>`]+\(")]
    private static partial Regex StackFrame();
}
