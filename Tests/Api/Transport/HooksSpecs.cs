using System.Net;
using System.Security.Claims;
using System.Text.Json;
using CartGraph.Api.Transport;
using GraphQL.Execution;
using GraphQL.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static CartGraph.Tests.Api.Transport.HttpExchange;

namespace CartGraph.Tests.Api.Transport;

/// <summary>The places left for later work: extra validation rules, the execution hook, the caller's principal.</summary>
public sealed class HooksSpecs
{
    /// <summary>Refuses any request whose extensions say "deny": it depends on the request, not the document.</summary>
    sealed class DenyRule : ValidationRuleBase
    {
        public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
        {
            if (context.Extensions.TryGetValue("deny", out var deny) && deny is true)
                context.ReportError(new ValidationError("Denied by the test rule.") { Code = "DENIED" });
            return default;
        }
    }

    /// <summary>Notes each execution that ran, proving a listener added by the hook is used.</summary>
    sealed class CountingListener(List<string> seen) : DocumentExecutionListenerBase
    {
        public override Task AfterExecutionAsync(IExecutionContext context)
        {
            lock (seen) seen.Add("executed");
            return Task.CompletedTask;
        }
    }

    /// <summary>Stands in for authentication: the X-Test-User header becomes HttpContext.User.</summary>
    static void FakeAuthentication(WebApplication app) => app.Use((http, next) =>
    {
        if (http.Request.Headers["X-Test-User"] is [{ } name])
            http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "test"));
        return next(http);
    });

    [Fact]
    public async Task Extra_validation_rules_run_on_cached_documents_too()
    {
        await using var server = await TransportServer.StartAsync(options => options with { ValidationRules = [new DenyRule()] });
        var query = "query Guarded { hello }";

        var allowed = await PostAsync(server, new { query });
        var hits = server.Cache.Hits;
        var denied = await PostAsync(server, new { query, extensions = new { deny = true } });

        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.True(server.Cache.Hits > hits, "the second request used the cached document");
        Assert.Equal(HttpStatusCode.BadRequest, denied.Status);
        Assert.Equal("DENIED", denied.FirstErrorCode);
    }

    [Fact]
    public async Task The_execution_hook_sees_every_operation_with_its_user_context()
    {
        var seen = new List<string>();
        await using var server = await TransportServer.StartAsync(options => options with
        {
            ConfigureExecution = (execution, context) =>
            {
                lock (seen) seen.Add($"{execution.Query}|{context.CorrelationId}");
                execution.Listeners.Add(new CountingListener(seen));
            },
        });

        await PostAsync(server, new { query = "{ hello }" });
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);
        await socket.SubscribeAsync("1", "{ correlationId }");
        var next = await socket.ReceiveAsync();

        var correlationId = next.GetProperty("payload").GetProperty("data").GetProperty("correlationId").GetString();
        Assert.Equal(4, seen.Count);
        Assert.StartsWith("{ hello }|", seen[0]);
        Assert.Equal("executed", seen[1]);
        Assert.Equal($"{{ correlationId }}|{correlationId}", seen[2]);
        Assert.Equal("executed", seen[3]);
        Assert.EndsWith(":1", correlationId); // the socket's trace id, then the operation's number on it
    }

    [Fact]
    public async Task Operations_run_as_the_requests_user_over_HTTP_and_as_the_upgrades_user_over_a_socket_without_an_auth_hook()
    {
        await using var server = await TransportServer.StartAsync(beforeEndpoint: FakeAuthentication);

        using var request = new HttpRequestMessage(HttpMethod.Post, server.HttpEndpoint)
        {
            Content = new StringContent("""{"query":"{ whoami }"}""", System.Text.Encoding.UTF8, Json),
        };
        request.Headers.Add("X-Test-User", "grace");
        var overHttp = JsonDocument.Parse(await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(
            server.WebSocketEndpoint, configure: options => options.SetRequestHeader("X-Test-User", "ada"));
        await socket.SubscribeAsync("who", "{ whoami }");
        var overSocket = await socket.ReceiveAsync();

        Assert.Equal("grace", overHttp.GetProperty("data").GetProperty("whoami").GetString());
        Assert.Equal("ada", overSocket.GetProperty("payload").GetProperty("data").GetProperty("whoami").GetString());
    }

    [Fact]
    public async Task A_global_UseWebSockets_does_no_harm()
    {
        await using var server = await TransportServer.StartAsync(beforeEndpoint: app => app.UseWebSockets());

        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);
        await socket.SubscribeAsync("t", "subscription { ticks(count: 2) }");
        var messages = await socket.ReceiveUntilAsync("t", "complete");
        var overHttp = await PostAsync(server, new { query = "{ hello }" });

        Assert.Equal(3, messages.Count);
        Assert.Equal(HttpStatusCode.OK, overHttp.Status);
    }
}
