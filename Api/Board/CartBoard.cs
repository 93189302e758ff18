using CartGraph.Api.Ide;
using CartGraph.Api.Security;
using Microsoft.Extensions.FileProviders;

namespace CartGraph.Api.Board;

/// <summary>The live cart board at <c>/board/</c>: a static page (bundled by Board.targets) that talks to <c>/graphql</c>
/// like any other client, with the token its user gives it.</summary>
public static class CartBoard
{
    public const string Path = "/board";

    public static void MapCartBoard(this WebApplication app)
    {
        if (!BoardFiles.Present)
        {
            app.Logger.LogWarning("The cart board is not in {Directory}: build the Api project with npm on the PATH", BoardFiles.Directory);
            app.MapGet(Path + "/{**rest}", () => Results.Text(
                $"The cart board is not in this build ({BoardFiles.Directory}): build the Api project with Node.js and npm installed.\n",
                statusCode: StatusCodes.Status503ServiceUnavailable));
            return;
        }

        // Only in Development, where the IDE gets a token too: the same hook fills in the board's token field.
        // Elsewhere there is no config.json (404) and the board asks for a token.
        if (app.Environment.IsDevelopment())
        {
            var hooks = app.Services.GetServices<IdeHttpHeaders>().ToList();
            var auth = app.Services.GetRequiredService<AuthOptions>();
            app.MapGet(Path + "/config.json", (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "no-store"; // it carries a token
                return BoardConfig.From(http, hooks, auth) is { } config ? Results.Json(config, BoardConfig.Json) : Results.NotFound();
            });
        }

        var files = new PhysicalFileProvider(BoardFiles.Directory);
        // /board redirects to /board/, which is index.html: the page's relative URLs resolve under it.
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = Path, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { RequestPath = Path, FileProvider = files, OnPrepareResponse = BoardFiles.SetHeaders });
    }
}
