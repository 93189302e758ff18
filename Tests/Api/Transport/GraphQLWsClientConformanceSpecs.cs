using System.Security.Claims;
using System.Text.Json;
using CartGraph.Api.Transport;

namespace CartGraph.Tests.Api.Transport;

/// <summary>The reference client of graphql-transport-ws (the graphql-ws npm package) against our server.</summary>
public sealed class GraphQLWsClientConformanceSpecs
{
    [NpmFact]
    public async Task The_graphql_ws_client_subscribes_queries_mutates_stops_early_and_pings()
    {
        await NodeProject.Project.EnsureInstalledAsync();
        await using var server = await TransportServer.StartAsync(options => options with
        {
            AuthorizeConnection = (_, payload, _) => ValueTask.FromResult<ConnectionInitResult>(
                payload?.GetProperty("authorization").GetString() == "Bearer conformance"
                    ? new ConnectionInitResult.Accepted(new ClaimsPrincipal(new ClaimsIdentity("test")), new Dictionary<string, object?> { ["server"] = "cartgraph" })
                    : new ConnectionInitResult.Refused("wrong token")),
        });

        var (exit, output, errors, _) = await NodeProject.Project.RunScriptAsync("conformance.mjs", [server.WebSocketEndpoint.ToString()]);

        Assert.True(exit == 0, $"node exited {exit}:\n{errors}\n{output}");
        var seen = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal("cartgraph", seen.GetProperty("acknowledged").GetProperty("server").GetString());
        Assert.Equal([1, 2, 3], seen.GetProperty("ticks").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal(["Hello, node!"], seen.GetProperty("hello").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(["from node"], seen.GetProperty("echo").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(1, seen.GetProperty("firstOfEndless").GetInt32());
        Assert.Contains("nope", seen.GetProperty("validationErrors")[0].GetString());
        Assert.True(seen.GetProperty("pongs").GetInt32() >= 1, "the server answers the client's keep-alive pings");
        await Eventually(() => server.Ticks.Disposed == server.Ticks.Subscribed);
    }

    static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + GraphQLSocket.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(10);
        }
    }
}
