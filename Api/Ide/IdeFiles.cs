using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace CartGraph.Api.Ide;

/// <summary>The IDE's static app in the build output, where Ide.targets copies it from npm.</summary>
internal static class IdeFiles
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "ide");


    /// <summary>Everything under <c>static/</c> is named by its content hash, so it is kept for good; the rest
    /// (index.html, service worker, manifest, icons) is revalidated, so a new IDE version shows at once.</summary>
    public static void SetHeaders(StaticFileResponseContext file)
    {
        var headers = file.Context.Response.Headers;
        var hashed = file.Context.Request.Path.Value?.Contains("/static/", StringComparison.Ordinal) == true;
        headers.CacheControl = hashed ? "public, max-age=31536000, immutable" : "no-cache";
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
    }
}
