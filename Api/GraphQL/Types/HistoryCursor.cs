using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CartGraph.Api.GraphQL.Types;

/// <summary>
/// Opaque cursors of a cart's history: base64url of a marked stream position, so that a cursor of another connection
/// (carts, or an event's commit-order cursor) is refused rather than read as a position.
/// </summary>
public static class HistoryCursor
{
    private const string Mark = "history:";

    public static string Of(long streamPosition) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Mark + streamPosition.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The stream position in a cursor this connection made; null for anything else.</summary>
    public static long? Parse(string cursor)
    {
        if (cursor.Length is 0 or > 64) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Mark, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Mark.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
                && position > 0 && Of(position) == cursor
                ? position
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
