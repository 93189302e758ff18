using CartGraph.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace CartGraph.Tests.Api;

/// <summary>
/// The real API on a loopback port (Kestrel, real HTTP and WebSocket) over a fresh database of its own:
/// a class fixture for end-to-end specs. <see cref="StartAnotherAsync"/> adds a second instance on the same database.
/// </summary>
public class ApiServer(IMessageSink diagnostics) : IAsyncLifetime
{
    private readonly TestDatabase database = new(diagnostics);
    private readonly List<WebApplication> instances = [];

    public string ConnectionString => database.ConnectionString;

    /// <summary>The first instance's services, for specs that drive its parts in process.</summary>
    public IServiceProvider Services
    {
        get
        {
            lock (instances) return instances[0].Services;
        }
    }

    /// <summary>The first instance's base address, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public Uri GraphQL => new(BaseAddress, "/graphql");

    public Uri WebSocket => new UriBuilder(GraphQL) { Scheme = "ws" }.Uri;

    /// <summary>A client whose requests carry a token for exactly the tenants their variables name (see <see cref="TestTokens"/>).</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        BaseAddress = await StartAnotherAsync();
        Http = TestTokens.ClientFor(BaseAddress);
    }

    /// <summary>Starts one more instance on the same database; returns its base address.</summary>
    public async Task<Uri> StartAnotherAsync(Action<WebApplicationBuilder>? configure = null)
    {
        var app = await CartGraphApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--environment", "Development"], builder =>
        {
            builder.Configuration["ConnectionStrings:EventStore"] = database.ConnectionString;
            builder.Configuration["Auth:SigningKey"] = TestTokens.SigningKey;
            // Configuration, not SetMinimumLevel: appsettings.json's levels would win over the latter.
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
            // Two sets of tenant tables staged ahead, not 16: each fixture's database would otherwise get 16 × 33
            // relations made at its start, seconds of work that few specs use (a class onboards a tenant or a few).
            builder.Configuration["Tenants:PartitionPool:Size"] = "2";
            Configure(builder);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        lock (instances) instances.Add(app);
        return new Uri(CartGraphApp.Addresses(app)[0]);
    }

    /// <summary>What the first instance's <c>/health/ready</c> answers: its status code and its JSON.</summary>
    public async Task<(System.Net.HttpStatusCode Status, System.Text.Json.Nodes.JsonNode Body)> ReadinessAsync()
    {
        using var response = await Http.GetAsync(new Uri(BaseAddress, "/health/ready"));
        return (response.StatusCode, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Settings of every instance of a fixture that needs other ones than the defaults.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var app in instances)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await database.DisposeAsync();
    }
}
