using CartGraph.Api.Ide;
using CartGraph.Api.Security;
using CartGraph.Api.Hosting;

namespace CartGraph.Api.Board;

/// <summary>The live cart board at <c>/board/</c>: a static page (bundled by Board.targets) that talks to <c>/graphql</c>
/// like any other client, with the token its user gives it.</summary>
public static class CartBoard
{
    public const string Path = "/board";

    public static void MapCartBoard(this WebApplication app)
    {
        // /board redirects to /board/, which is index.html: the page's relative URLs resolve under it.
        if (!StaticApp.TryMap(app, Path, BoardFiles.Directory, "The cart board", BoardFiles.SetHeaders)) return;

        // Only in Development, where the IDE gets a token too: the same hook fills in the board's token field.
        // Elsewhere there is no config.json (404) and the board asks for a token.
        if (app.Environment.IsDevelopment())
        {
            var headers = BananaCakePop.Combined([.. app.Services.GetServices<IdeHttpHeaders>()]);
            var auth = app.Services.GetRequiredService<AuthOptions>();
            app.MapGet(Path + "/config.json", (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "no-store"; // it carries a token
                return BoardConfig.From(http, headers, auth) is { } config ? Results.Json(config, BoardConfig.Json) : Results.NotFound();
            });
        }
    }
}
