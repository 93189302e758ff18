using System.Text.Json;

namespace CartGraph.Tests.Api.Transport;

/// <summary>Apollo Client's own PersistedQueryLink (@apollo/client, pinned in js/) against our server, over real HTTP.</summary>
public sealed class ApolloPersistedQuerySpecs
{
    [NpmFact]
    public async Task Apollos_PersistedQueryLink_sends_the_hash_then_the_text_once_then_the_hash_alone_over_GET()
    {
        await NodeProject.Project.EnsureInstalledAsync();
        await using var server = await TransportServer.StartAsync();

        var (exit, output, errors, _) = await NodeProject.Project.RunScriptAsync("apollo-persisted-queries.mjs", [server.HttpEndpoint.ToString()]);

        Assert.True(exit == 0, $"node exited {exit}:\n{errors}\n{output}");
        var seen = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(["Hello, apollo!", "Hello, again!"], seen.GetProperty("results").EnumerateArray().Select(r => r.GetString()));
        var sent = seen.GetProperty("sent").EnumerateArray()
            .Select(r => (Method: r.GetProperty("method").GetString(), WithQuery: r.GetProperty("withQuery").GetBoolean(), Hash: r.GetProperty("sha256Hash").GetString()))
            .ToList();
        // The hash alone (not found yet), the text with its hash (stored), and for the second query the hash alone again.
        Assert.Equal([("GET", false), ("POST", true), ("GET", false)], sent.Select(r => (r.Method, r.WithQuery)));
        Assert.All(sent, r => Assert.Equal(sent[0].Hash, r.Hash));
        Assert.Matches("^[0-9a-f]{64}$", sent[0].Hash);
    }
}
