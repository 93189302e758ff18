using CartGraph.Api.Hosting;

namespace CartGraph.Api.Ide;

/// <summary>Banana Cake Pop at <c>/graphql/ui/</c>: the npm package's static app plus a <c>bcp-config.json</c> made per request.</summary>
public static class BananaCakePop
{
    public const string Path = "/graphql/ui";

    /// <summary>The GraphQL transports' <c>ServeIde</c>: a browser's GET on <c>/graphql</c> is sent to the IDE's own address,
    /// where the app's relative URLs (scripts, its config) resolve.</summary>
    public static Task OpenFromGraphQL(HttpContext http)
    {
        http.Response.Redirect(http.Request.PathBase.Add(Path + "/"));
        return Task.CompletedTask;
    }

    /// <summary>Serves the IDE, pointed at <paramref name="graphQLPath"/>; headers for its documents come from the
    /// <see cref="IdeHttpHeaders"/> in the services.</summary>
    public static void MapBananaCakePop(this WebApplication app, string graphQLPath = "/graphql")
    {
        if (!StaticApp.TryMap(app, Path, IdeFiles.Directory, "Banana Cake Pop", IdeFiles.SetHeaders)) return;

        var headers = Combined([.. app.Services.GetServices<IdeHttpHeaders>()]);
        app.MapGet(Path + "/bcp-config.json", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store"; // it may carry a token
            return Results.Json(IdeConfig.For(http, graphQLPath, headers), IdeConfig.Json);
        });
    }

    /// <summary>Every registered hook, in order: a later one wins a header both set.</summary>
    internal static IdeHttpHeaders Combined(IReadOnlyList<IdeHttpHeaders> hooks) => http =>
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var hook in hooks)
            foreach (var (name, value) in hook(http)) all[name] = value;
        return all;
    };
}
