using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CartGraph.Api.Hosting;

/// <summary>The API as one web application: what <c>dotnet run --project Api</c> serves and what tests start in-process.</summary>
public static class CartGraphApp
{
    public const string DefaultUrl = "http://localhost:5080";

    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? DefaultUrl);
        configure?.Invoke(builder);
        await builder.AddCartGraphAsync();
        var app = builder.Build();
        app.MapCartGraph();
        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddresses(app));
        return app;
    }

    /// <summary>The addresses the server listens on, once started (the real port when 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static void AnnounceAddresses(WebApplication app)
    {
        foreach (var address in Addresses(app))
            app.Logger.LogInformation("CartGraph is up: GraphQL at {Address}/graphql, Banana Cake Pop at {Address}/graphql/ui/", address, address);
    }
}
