using CartGraph.Api.Transport.Execution;
using GraphQL;

namespace CartGraph.Api.Transport.Persisted;

/// <summary>
/// Apollo's automatic persisted queries, as its PersistedQueryLink sends them:
/// <c>"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "&lt;hex&gt;"}}</c>, without <c>query</c> at first,
/// then with it (and the same hash) when the server answered PERSISTED_QUERY_NOT_FOUND.
/// </summary>
internal static class PersistedQueryExtension
{
    public const int Version = 1;

    /// <summary>Why the extension is not well-formed (or its hash is not the query's), or null; <paramref name="hash"/> when there is one.</summary>
    public static string? Read(Inputs? extensions, string? query, out RequestedDocument.ByHash? hash)
    {
        hash = null;
        if (extensions is null || !extensions.TryGetValue("persistedQuery", out var value) || value is null) return null;
        if (value is not IDictionary<string, object?> persisted)
            return "extensions.persistedQuery must be an object: {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}.";
        if (!persisted.TryGetValue("version", out var version) || !IsVersion(version))
            return $"Unsupported persisted query version: extensions.persistedQuery.version must be {Version}.";
        if (!persisted.TryGetValue("sha256Hash", out var given) || given is not string text || !DocumentIds.IsSha256Hex(text.ToLowerInvariant()))
            return "extensions.persistedQuery.sha256Hash must be the SHA-256 of the query as 64 hexadecimal digits.";
        var sha256 = text.ToLowerInvariant();
        if (query is not null && DocumentIds.Sha256Hex(query) != sha256)
            return "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it (UTF-8, lower-case hex).";
        hash = new RequestedDocument.ByHash(sha256, query);
        return null;
    }

    private static bool IsVersion(object? value) => value switch
    {
        int i => i == Version,
        long l => l == Version,
        double d => d == Version,
        decimal m => m == Version,
        System.Numerics.BigInteger b => b == Version,
        _ => false,
    };
}
