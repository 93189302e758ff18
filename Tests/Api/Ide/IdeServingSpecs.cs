using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CartGraph.Api.Ide;
using Microsoft.Extensions.DependencyInjection;
using static CartGraph.Tests.Api.WithoutRedirects;

namespace CartGraph.Tests.Api.Ide;

/// <summary>What the server hands a browser for Banana Cake Pop, over plain HTTP (no browser needed).</summary>
public sealed partial class IdeServingSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    static async Task<JsonNode> ConfigAsync(Uri server)
    {
        using var response = await GetAsync(server, "/graphql/ui/bcp-config.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "bcp-config.json may carry a token: never cached");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task The_config_points_the_IDE_at_this_servers_GraphQL_endpoint_over_graphql_transport_ws()
    {
        var config = await ConfigAsync(api.BaseAddress);

        Assert.Equal("/graphql", (string?)config["endpoint"]); // resolved by the IDE against the page's URL
        Assert.True((bool?)config["useBrowserUrlAsEndpoint"]);
        Assert.Equal("graphql-transport-ws", (string?)config["subscriptionProtocol"]);
        Assert.True((bool?)config["disableTelemetry"]);
        Assert.IsType<JsonObject>(config["httpHeaders"]);
    }

    [Fact]
    public async Task Headers_from_a_registered_hook_go_into_the_config()
    {
        var server = await api.StartAnotherAsync(builder => builder.Services
            .AddSingleton<IdeHttpHeaders>(_ => new Dictionary<string, string> { ["X-Ide-Probe"] = "one", ["X-Ide-Both"] = "first" })
            .AddSingleton<IdeHttpHeaders>(_ => new Dictionary<string, string> { ["X-Ide-Both"] = "second" }));

        var headers = (await ConfigAsync(server))["httpHeaders"]!;

        Assert.Equal("one", (string?)headers["X-Ide-Probe"]);
        Assert.Equal("second", (string?)headers["X-Ide-Both"]);
    }

    [Fact]
    public async Task A_browser_GET_on_the_GraphQL_endpoint_is_sent_to_the_IDE()
    {
        using var response = await GetAsync(api.BaseAddress, "/graphql", BrowserAccept);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/graphql/ui/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_IDE_without_its_trailing_slash_is_sent_to_it()
    {
        using var response = await GetAsync(api.BaseAddress, "/graphql/ui", BrowserAccept);

        Assert.True((int)response.StatusCode is >= 300 and < 400, $"{response.StatusCode}");
        Assert.EndsWith("/graphql/ui/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_page_is_revalidated_and_its_hashed_assets_are_kept()
    {
        using var page = await GetAsync(api.BaseAddress, "/graphql/ui/", BrowserAccept);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.True(page.Headers.CacheControl?.NoCache);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>Banana Cake Pop</title>", html);

        var assets = Asset().Matches(html).Select(m => m.Groups["path"].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await GetAsync(api.BaseAddress, $"/graphql/ui/{asset}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(asset.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        }
    }

    [GeneratedRegex(@"(?:src|href)=""(?<path>static/[^""]+)""")]
    private static partial Regex Asset();
}
