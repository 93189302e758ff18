using System.Net;
using System.Text.Json.Nodes;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Transport;

namespace CartGraph.Tests.Api.Security;

/// <summary>GraphQL over SSE keeps the limits of the other transports: a document over the cost or depth limit is
/// refused, and a tenant's open streams count against its connections, as its sockets do.</summary>
public sealed class EventStreamLimitSpecs(LimitedApi limited) : IClassFixture<LimitedApi>
{
    [Fact]
    public async Task A_document_deeper_than_the_limit_is_refused_with_COMPLEXITY_in_the_stream_and_nothing_runs()
    {
        await using var stream = await EventStream.OpenAsync(limited.Api.Http, new Uri(limited.BaseAddress, "/graphql"), TestTokens.For("sse-lim-deep"),
            "query($t: ID!) { carts(tenantId: $t, first: 1) { edges { node { items { sku } } } } }", new { t = "sse-lim-deep" });

        var next = (await stream.ReadAsync())!;
        Assert.Equal("next", next.Event);
        Assert.Null(next.Json!["data"]);
        Assert.Equal("COMPLEXITY", (string?)next.Json!["errors"]![0]!["extensions"]!["code"]);
        Assert.Equal("complete", (await stream.ReadAsync())!.Event);
    }

    [Fact]
    public async Task A_tenants_open_streams_count_against_its_connections_and_one_more_is_refused_503_until_one_closes()
    {
        const string tenant = "sse-lim-conn";
        var endpoint = new Uri(limited.BaseAddress, "/graphql");
        var token = TestTokens.For(tenant);
        var open = new List<EventStream>();
        try
        {
            for (var i = 0; i < LimitedApi.MaxConnectionsPerTenant; i++)
            {
                open.Add(await EventStream.OpenAsync(limited.Api.Http, endpoint, token, Operations.Document("CartEvents"), new { tenantId = tenant }));
                Assert.Equal(HttpStatusCode.OK, open[^1].Response.StatusCode);
            }

            await using (var refused = await EventStream.OpenAsync(limited.Api.Http, endpoint, token, Operations.Document("CartEvents"), new { tenantId = tenant }))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Response.StatusCode);
                Assert.NotNull(refused.Response.Headers.RetryAfter);
                var body = JsonNode.Parse(await refused.ReadToEndAsync())!;
                Assert.Equal("TOO_MANY_CONNECTIONS", (string?)body["errors"]![0]!["extensions"]!["code"]);
            }

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                var again = await EventStream.OpenAsync(limited.Api.Http, endpoint, token, Operations.Document("CartEvents"), new { tenantId = tenant });
                open.Add(again);
                if (again.Response.StatusCode == HttpStatusCode.OK) break;
                Assert.True(DateTime.UtcNow < deadline, "A closed stream must free its tenant's connection.");
                await Task.Delay(100);
            }
        }
        finally
        {
            foreach (var stream in open) await stream.DisposeAsync();
        }
    }
}
