using System.Text.Json;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Transport;

namespace CartGraph.Tests.Api.Security;

/// <summary>Each limit on sockets trips with its code, and the service takes sockets and operations again afterwards.</summary>
public sealed class SocketLimitSpecs(LimitedApi limited) : IClassFixture<LimitedApi>
{
    private const string Query = "{ __typename }";
    private const string Watch = "subscription($t: ID!, $c: ID!) { cartChanged(tenantId: $t, cartId: $c) { cartId version } }";

    [Fact]
    public async Task A_message_larger_than_the_limit_closes_the_socket_1009_and_a_new_socket_works()
    {
        await using var socket = await Bearer.SocketFor(limited.BaseAddress, "lim-message");

        await socket.SubscribeAsync("big", Query, new { padding = new string('x', LimitedApi.MaxRequestBytes) });
        var (status, _) = await socket.ReceiveCloseAsync();

        Assert.Equal(1009, (int?)status);
        await AnswersAsync("lim-message");
    }

    [Fact]
    public async Task An_operation_past_the_limit_of_one_socket_gets_an_error_with_OPERATION_LIMIT_REACHED_and_a_new_socket_works()
    {
        await using var socket = await Bearer.SocketFor(limited.BaseAddress, "lim-operations");
        for (var i = 0; i < LimitedApi.MaxOperationsPerConnection; i++)
        {
            await socket.SubscribeAsync($"q{i}", Query);
            await socket.ReceiveUntilAsync($"q{i}", "complete");
        }

        await socket.SubscribeAsync("one-too-many", Query);
        var refusal = await socket.ReceiveAsync();

        Assert.Equal(("error", "one-too-many"), (Type(refusal), refusal.GetProperty("id").GetString()));
        Assert.Equal("OPERATION_LIMIT_REACHED", CodeOf(refusal));
        await AnswersAsync("lim-operations");
    }

    [Fact]
    public async Task A_subscription_past_the_active_limit_gets_TOO_MANY_ACTIVE_OPERATIONS_until_one_completes()
    {
        const string tenant = "lim-active";
        var shop = new Shop(limited.Api.Http, tenant);
        await shop.Create("watched");
        await shop.Cart("watched", atLeastVersion: 1); // its creation must not reach the subscriptions as a change
        await using var socket = await Bearer.SocketFor(limited.BaseAddress, tenant);
        for (var i = 0; i < LimitedApi.MaxSubscriptionsPerConnection; i++)
            await socket.SubscribeAsync($"s{i}", Watch, new { t = tenant, c = "watched" });

        await socket.SubscribeAsync("extra", Watch, new { t = tenant, c = "watched" });
        var refusal = await socket.ReceiveAsync();
        await socket.SendAsync(new { id = "s0", type = "complete" });
        await socket.SubscribeAsync("again", Watch, new { t = tenant, c = "watched" });
        await Task.Delay(300); // graphql-transport-ws acknowledges no subscribe: an error, had there been one, comes at once
        var change = await shop.Add("watched", "sku-1");
        var delivered = new[] { await socket.ReceiveAsync(), await socket.ReceiveAsync() };

        Assert.Equal(("error", "extra"), (Type(refusal), refusal.GetProperty("id").GetString()));
        Assert.Equal("TOO_MANY_ACTIVE_OPERATIONS", CodeOf(refusal));
        Assert.Equal(["again", "s1"], delivered.Select(m => m.GetProperty("id").GetString()).Order());
        Assert.All(delivered, m => Assert.Equal(
            (long)change["version"]!, m.GetProperty("payload").GetProperty("data").GetProperty("cartChanged").GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task A_socket_past_the_tenants_limit_is_closed_1013_and_admitted_once_another_closes()
    {
        const string tenant = "lim-sockets";
        var open = new List<GraphQLSocket>();
        for (var i = 0; i < LimitedApi.MaxConnectionsPerTenant; i++) open.Add(await Bearer.SocketFor(limited.BaseAddress, tenant));
        await using var other = await Bearer.SocketFor(limited.BaseAddress, "lim-sockets-other");

        var (status, reason) = await RefusedAsync(tenant);
        await open[0].CloseAsync();
        await open[0].DisposeAsync();
        var admitted = await AdmittedEventuallyAsync(tenant);

        Assert.Equal((1013, "Too many connections"), ((int?)status, reason));
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, other.State);
        await admitted.SubscribeAsync("q", Query);
        Assert.Equal("next", Type(await admitted.ReceiveAsync()));
        foreach (var socket in open.Skip(1).Append(admitted)) await socket.DisposeAsync();
    }

    private async Task<(System.Net.WebSockets.WebSocketCloseStatus? Status, string? Reason)> RefusedAsync(string tenant)
    {
        await using var socket = await GraphQLSocket.ConnectAsync(Bearer.WebSocketOf(limited.BaseAddress));
        await socket.SendAsync(new { type = "connection_init", payload = new { authorization = Bearer.Header(tenant) } });
        return await socket.ReceiveCloseAsync();
    }

    /// <summary>A socket for the tenant, once the server has counted the closed one out (it does so as the socket ends, not at once).</summary>
    private async Task<GraphQLSocket> AdmittedEventuallyAsync(string tenant)
    {
        for (var attempt = 0; ; attempt++)
        {
            var socket = await GraphQLSocket.ConnectAsync(Bearer.WebSocketOf(limited.BaseAddress));
            await socket.SendAsync(new { type = "connection_init", payload = new { authorization = Bearer.Header(tenant) } });
            var (message, closed) = await socket.ReceiveMessageOrCloseAsync();
            if (message is { } ack && Type(ack) == "connection_ack") return socket;
            await socket.DisposeAsync();
            Assert.True(attempt < 20 && closed is { Status: (System.Net.WebSockets.WebSocketCloseStatus)1013 }, $"Expected to be admitted, got {message}{closed}");
            await Task.Delay(100);
        }
    }

    /// <summary>A new socket for the tenant runs an operation.</summary>
    private async Task AnswersAsync(string tenant)
    {
        await using var socket = await Bearer.SocketFor(limited.BaseAddress, tenant);
        await socket.SubscribeAsync("after", Query);
        var next = await socket.ReceiveAsync();
        Assert.Equal("next", Type(next));
        Assert.Equal("Query", next.GetProperty("payload").GetProperty("data").GetProperty("__typename").GetString());
    }

    private static string? Type(JsonElement message) => message.GetProperty("type").GetString();

    private static string? CodeOf(JsonElement error) =>
        error.GetProperty("payload").EnumerateArray().Single().GetProperty("extensions").GetProperty("code").GetString();
}
