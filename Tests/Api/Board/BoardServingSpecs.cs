using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CartGraph.Api.Hosting;
using CartGraph.Tests.Api.EndToEnd;
using Microsoft.Extensions.Logging;
using static CartGraph.Tests.Api.WithoutRedirects;

namespace CartGraph.Tests.Api.Board;

/// <summary>What the server hands a browser for the cart board, over plain HTTP (no browser needed).</summary>
public sealed partial class BoardServingSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task The_board_without_its_trailing_slash_is_sent_to_it()
    {
        using var response = await GetAsync(api.BaseAddress, "/board");

        Assert.True((int)response.StatusCode is >= 300 and < 400, $"{response.StatusCode}");
        Assert.EndsWith("/board/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_page_its_script_and_its_stylesheet_come_from_this_server_only()
    {
        using var page = await GetAsync(api.BaseAddress, "/board/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.True(page.Headers.CacheControl?.NoCache);
        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);

        var html = await page.Content.ReadAsStringAsync();
        var assets = Asset().Matches(html).Select(m => m.Groups["path"].Value).Where(p => !p.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["board.css", "board.js"], assets.Order());
        foreach (var asset in assets)
        {
            using var response = await GetAsync(api.BaseAddress, $"/board/{asset}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(asset.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_script_is_one_bundle_with_the_graphql_ws_client_and_the_APIs_own_operations()
    {
        using var response = await GetAsync(api.BaseAddress, "/board/board.js");
        var script = await response.Content.ReadAsStringAsync();

        Assert.Contains("graphql-transport-ws", script); // the client's subprotocol: graphql-ws is inside
        Assert.Contains("subscription CartEvents(", script);
        Assert.Contains("fragment CartFields on Cart", script);
        Assert.DoesNotMatch(@"^\s*import\b", script); // bundled: it imports nothing
    }

    [Fact]
    public async Task In_Development_config_json_gives_the_IDEs_token_and_the_tenants_it_names()
    {
        using var response = await GetAsync(api.BaseAddress, "/board/config.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "config.json carries a token: never cached");
        var config = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(["demo"], config["tenants"]!.AsArray().Select(t => (string?)t));
        var authorization = (string)config["authorization"]!;

        // The token works for what the board does with it.
        using var http = Bearer.Client(api.BaseAddress, authorization);
        var data = await http.DataOfAsync(Operations.Document("Carts"), new { tenantId = "demo", first = 1 });
        Assert.NotNull(data["carts"]);
    }

    [Fact]
    public async Task Outside_Development_there_is_no_config_json_and_the_board_asks_for_a_token()
    {
        // NOTE: ApiServer's instances are Development ones, and a builder's environment cannot change once made.
        await using var production = await CartGraphApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--environment", "Production"], builder =>
        {
            builder.Configuration["ConnectionStrings:EventStore"] = api.ConnectionString;
            builder.Configuration["Auth:SigningKey"] = TestTokens.SigningKey;
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await production.StartAsync();
        var server = new Uri(CartGraphApp.Addresses(production)[0]);

        using var config = await GetAsync(server, "/board/config.json");
        using var page = await GetAsync(server, "/board/");

        Assert.Equal(HttpStatusCode.NotFound, config.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Bearer token", await page.Content.ReadAsStringAsync());
        await production.StopAsync();
    }

    [GeneratedRegex(@"(?:src|href)=""(?<path>[^""]+)""")]
    private static partial Regex Asset();
}
