using System.Security.Cryptography;
using System.Text;

namespace CartGraph.Api.Transport.Persisted;

/// <summary>
/// Document identifiers as GraphQL over HTTP's persisted documents define them: <c>sha256:&lt;hex&gt;</c>, the lower-case
/// hex SHA-256 of the document's UTF-8 text (the hash alone is what Apollo's automatic persisted queries send).
/// </summary>
public static class DocumentIds
{
    public const string Sha256Prefix = "sha256:";

    /// <summary>The lower-case hex SHA-256 of the text's UTF-8 bytes.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The <c>sha256:&lt;hex&gt;</c> id of a document's text.</summary>
    public static string Sha256Id(string text) => Sha256Prefix + Sha256Hex(text);

    /// <summary>64 lower-case hexadecimal characters.</summary>
    public static bool IsSha256Hex(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);

    /// <summary>The appendix's syntax: unreserved URI characters (letters, digits, <c>- . _ ~</c>) and colons, not starting with a colon.</summary>
    public static bool IsWellFormed(string id) =>
        id.Length is > 0 and <= 512 && id[0] != ':' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':');
}
