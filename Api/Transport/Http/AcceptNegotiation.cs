using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CartGraph.Api.Transport.Http;

/// <summary>Picks the response media type from an <c>Accept</c> header, as RFC 9110 §12.5.1 and the GraphQL-over-HTTP
/// spec ask: "the highest priority media type listed that is supported by the server".</summary>
/// <remarks>
/// Each offered type takes the quality of the most specific range matching it (<c>a/b</c> over <c>a/*</c> over <c>*/*</c>),
/// so <c>*/*, application/json;q=0</c> excludes JSON. Ties go to the more specific match, then to the range listed first,
/// then to the server's order: <c>*/*</c> alone gives <c>application/graphql-response+json</c>, while
/// <c>application/json, */*</c> gives JSON. A range with a charset other than UTF-8 does not match (we only write UTF-8).
/// NOTE legacy watershed: we are past 2025-01-01, so a missing <c>Accept</c> means <c>application/graphql-response+json</c>.
/// </remarks>
internal static class AcceptNegotiation
{
    /// <summary>The chosen type from <paramref name="offered"/>, or null when the client accepts none of them (406).</summary>
    public static string? Choose(StringValues accept, IReadOnlyList<string> offered)
    {
        if (StringValues.IsNullOrEmpty(accept) || accept.All(string.IsNullOrWhiteSpace)) return offered[0];
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0) return null;

        string? best = null;
        (double Quality, int Specificity, int Position) bestRank = default;
        foreach (var type in offered)
        {
            if (RankOf(type, ranges) is not { } rank || rank.Quality <= 0) continue;
            if (best is null || Outranks(rank, bestRank))
            {
                best = type;
                bestRank = rank;
            }
        }
        return best;
    }

    private static bool Outranks((double Quality, int Specificity, int Position) a, (double Quality, int Specificity, int Position) b) =>
        a.Quality != b.Quality ? a.Quality > b.Quality
        : a.Specificity != b.Specificity ? a.Specificity > b.Specificity
        : a.Position < b.Position;

    private static (double Quality, int Specificity, int Position)? RankOf(string type, IList<MediaTypeHeaderValue> ranges)
    {
        (double Quality, int Specificity, int Position)? rank = null;
        for (var position = 0; position < ranges.Count; position++)
        {
            var range = ranges[position];
            if (Specificity(range, type) is not { } specificity) continue;
            if (rank is null || specificity > rank.Value.Specificity)
                rank = (range.Quality ?? 1.0, specificity, position);
        }
        return rank;
    }

    /// <summary>How closely <paramref name="range"/> names <paramref name="type"/>: 2 exactly, 1 by <c>a/*</c>, 0 by <c>*/*</c>.</summary>
    private static int? Specificity(MediaTypeHeaderValue range, string type)
    {
        if (!CharsetFits(range, type)) return null;
        if (range.MatchesAllTypes) return 0;
        var slash = type.IndexOf('/');
        if (!StringSegment.Equals(range.Type, new StringSegment(type, 0, slash), StringComparison.OrdinalIgnoreCase)) return null;
        if (range.MatchesAllSubTypes) return 1;
        return StringSegment.Equals(range.SubType, new StringSegment(type, slash + 1, type.Length - slash - 1), StringComparison.OrdinalIgnoreCase)
            ? 2
            : null;
    }

    private static bool CharsetFits(MediaTypeHeaderValue range, string type) =>
        type == MediaTypes.Html
        || range.Charset.Length == 0
        || range.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        || range.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
}
