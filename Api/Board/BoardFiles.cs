using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace CartGraph.Api.Board;

/// <summary>The board's static files in the build output, where Board.targets puts them.</summary>
internal static class BoardFiles
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "board");

    /// <summary>Everything from this server, nothing inline, nothing from anywhere else (the socket is this server too).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";


    /// <summary>Names are not content-hashed, so every file is revalidated: a new build shows at once.</summary>
    public static void SetHeaders(StaticFileResponseContext file)
    {
        var headers = file.Context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
    }
}
