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
        if (ConfigurationCheck.Problems(builder.Configuration, builder.Environment) is { Count: > 0 } problems)
            throw new ConfigurationProblemsException(problems);
        // On SIGTERM: stop accepting, let requests in flight finish, complete subscriptions, let processors commit.
        builder.Services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = ShutdownTimeout(builder.Configuration);
            // RequiredServices decides what a failed background service means: the instance exits, non-zero.
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
        });
        await builder.AddCartGraphAsync();
        var app = builder.Build();
        // From the start: memory can run out at any time.
        app.Services.GetRequiredService<FatalFailures>();
        app.MapCartGraph();
        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddresses(app));
        return app;
    }

    private static TimeSpan ShutdownTimeout(IConfiguration configuration) =>
        configuration.GetValue<TimeSpan?>("ShutdownTimeout") ?? TimeSpan.FromSeconds(30);

    /// <summary>The addresses the server listens on, once started (the real port when 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static void AnnounceAddresses(WebApplication app)
    {
        foreach (var address in Addresses(app))
            app.Logger.LogInformation("CartGraph is up: GraphQL at {Address}/graphql, Banana Cake Pop at {Address}/graphql/ui/, live cart board at {Address}/board/", address, address, address);
    }
}
