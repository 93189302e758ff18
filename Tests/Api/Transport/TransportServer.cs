using CartGraph.Api.Transport;
using CartGraph.Api.Transport.Execution;
using GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CartGraph.Tests.Api.Transport;

/// <summary>The transports on real Kestrel, on a free loopback port, serving <see cref="TestSchema"/> at /graphql.</summary>
public sealed class TransportServer : IAsyncDisposable
{
    readonly WebApplication app;

    TransportServer(WebApplication app, Uri baseAddress, CapturedLogs logs)
    {
        this.app = app;
        Logs = logs;
        HttpEndpoint = new Uri(baseAddress, "/graphql");
        WebSocketEndpoint = new UriBuilder(HttpEndpoint) { Scheme = "ws" }.Uri;
        Client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri HttpEndpoint { get; }

    public Uri WebSocketEndpoint { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    internal DocumentCache Cache => app.Services.GetRequiredService<DocumentCache>();

    public TickProbe Ticks => app.Services.GetRequiredService<TickProbe>();

    public static async Task<TransportServer> StartAsync(
        Func<GraphQLTransportOptions, GraphQLTransportOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? beforeEndpoint = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
        builder.Services.AddSingleton<TickProbe>();
        builder.Services.AddGraphQL(graphQL => graphQL.AddSchema<TestSchema>());
        builder.Services.AddGraphQLTransports(configure);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        beforeEndpoint?.Invoke(app);
        app.MapGraphQLEndpoint<TestSchema>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TransportServer(app, new Uri(address), logs);
    }

    /// <summary>Stops the host as a shutdown would: ApplicationStopping fires, then Kestrel drains.</summary>
    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.DisposeAsync();
    }
}
