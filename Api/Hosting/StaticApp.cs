using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace CartGraph.Api.Hosting;

/// <summary>A static web app the build copies next to the server (the IDE, the board), served under its own path.</summary>
internal static class StaticApp
{
    /// <summary>
    /// Serves <paramref name="directory"/> under <paramref name="path"/> (<c>path</c> redirects to <c>path/</c>, which
    /// is index.html); false, with a warning and a 503 explaining it under the path, when the build did not make it.
    /// </summary>
    /// <param name="label">What the app is called in that warning and answer, e.g. "Banana Cake Pop".</param>
    public static bool TryMap(WebApplication app, string path, string directory, string label, Action<StaticFileResponseContext> setHeaders)
    {
        if (!File.Exists(Path.Combine(directory, "index.html")))
        {
            app.Logger.LogWarning("{App} is not in {Directory}: build the Api project with npm on the PATH", label, directory);
            app.MapGet(path + "/{**rest}", () => Results.Text(
                $"{label} is not in this build ({directory}): build the Api project with Node.js and npm installed.\n",
                statusCode: StatusCodes.Status503ServiceUnavailable));
            return false;
        }

        var files = new PhysicalFileProvider(directory);
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = path, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { RequestPath = path, FileProvider = files, OnPrepareResponse = setHeaders });
        return true;
    }
}
