using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using CartGraph.Api.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace CartGraph.Tests.Api.Transport;

/// <summary>graphql-transport-ws against real Kestrel with a real ClientWebSocket, rule by rule of PROTOCOL.md.</summary>
public sealed class WebSocketTransportSpecs(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>
{
    readonly TransportServer server = fixture.Server;

    static string TypeOf(JsonElement message) => message.GetProperty("type").GetString()!;

    static string? IdOf(JsonElement message) => message.TryGetProperty("id", out var id) ? id.GetString() : null;

    [Fact]
    public async Task Connection_init_is_acknowledged_on_the_graphql_transport_ws_subprotocol()
    {
        await using var socket = await GraphQLSocket.ConnectAsync(server.WebSocketEndpoint);
        Assert.Equal("graphql-transport-ws", socket.SubProtocolChosen);

        await socket.SendAsync(new { type = "connection_init", payload = new { } });
        var ack = await socket.ReceiveAsync();

        Assert.Equal("connection_ack", TypeOf(ack));
        await socket.CloseAsync();
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_echoing_its_payload_even_before_init_and_pong_is_ignored()
    {
        await using var socket = await GraphQLSocket.ConnectAsync(server.WebSocketEndpoint);

        await socket.SendAsync(new { type = "pong", payload = new { unsolicited = true } });
        await socket.SendAsync(new { type = "ping", payload = new { sent = 42 } });
        var pong = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "ping" });
        var bare = await socket.ReceiveAsync();

        Assert.Equal("pong", TypeOf(pong));
        Assert.Equal(42, pong.GetProperty("payload").GetProperty("sent").GetInt32());
        Assert.Equal("pong", TypeOf(bare));
        Assert.False(bare.TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task A_query_over_the_socket_gets_one_next_then_complete()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("q1", "query($name: String) { hello(name: $name) }", new { name = "Ada" });
        var next = await socket.ReceiveAsync();
        var complete = await socket.ReceiveAsync();

        Assert.Equal(("next", "q1"), (TypeOf(next), IdOf(next)));
        Assert.Equal("Hello, Ada!", next.GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal(("complete", "q1"), (TypeOf(complete), IdOf(complete)));
    }

    [Fact]
    public async Task A_mutation_over_the_socket_gets_one_next_then_complete()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("m1", "mutation { echo(text: \"over the wire\") }");
        var messages = await socket.ReceiveUntilAsync("m1", "complete");

        Assert.Equal(["next", "complete"], messages.Select(TypeOf));
        Assert.Equal("over the wire", messages[0].GetProperty("payload").GetProperty("data").GetProperty("echo").GetString());
    }

    [Fact]
    public async Task A_subscription_sends_each_event_as_next_then_complete_when_the_stream_ends()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("s1", "subscription { ticks(count: 3, intervalMs: 10) }");
        var messages = await socket.ReceiveUntilAsync("s1", "complete");

        Assert.Equal(["next", "next", "next", "complete"], messages.Select(TypeOf));
        Assert.Equal([1, 2, 3], messages.Take(3).Select(m => m.GetProperty("payload").GetProperty("data").GetProperty("ticks").GetInt32()));
        Assert.All(messages, m => Assert.Equal("s1", IdOf(m)));
    }

    [Fact]
    public async Task Operations_on_one_socket_run_side_by_side()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("slow", "subscription { ticks(count: 5, intervalMs: 100) }");
        await socket.SubscribeAsync("fast", "{ hello }");
        var messages = await socket.ReceiveUntilAsync("slow", "complete");

        var fastDone = messages.FindIndex(m => IdOf(m) == "fast" && TypeOf(m) == "complete");
        var firstSlow = messages.FindIndex(m => IdOf(m) == "slow" && TypeOf(m) == "next");
        Assert.True(fastDone >= 0 && fastDone < messages.Count - 1, "the query completes while the subscription still runs");
        Assert.True(firstSlow >= 0);
    }

    [Fact]
    public async Task The_clients_complete_stops_a_stream_and_the_server_lets_go_of_it()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);
        var disposedBefore = server.Ticks.Disposed;

        await socket.SubscribeAsync("long", "subscription { ticks(count: 100000, intervalMs: 20) }");
        var first = await socket.ReceiveAsync();
        await socket.SendAsync(new { id = "long", type = "complete" });
        await socket.SendAsync(new { type = "ping" });
        // Messages already in flight may arrive before the pong; none may come after it.
        while (TypeOf(await socket.ReceiveAsync()) != "pong") { }
        await Task.Delay(150); // several tick intervals
        await socket.SendAsync(new { type = "ping" });
        var next = await socket.ReceiveAsync();

        Assert.Equal("next", TypeOf(first));
        Assert.Equal("pong", TypeOf(next));
        await Eventually(() => server.Ticks.Disposed > disposedBefore);
    }

    [Fact]
    public async Task An_id_is_free_again_once_its_operation_is_over()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("same", "{ hello }");
        await socket.ReceiveUntilAsync("same", "complete");
        await socket.SubscribeAsync("same", "{ hello }");
        var again = await socket.ReceiveUntilAsync("same", "complete");

        Assert.Equal(["next", "complete"], again.Select(TypeOf));
    }

    [Theory]
    [InlineData("{ nope }", "FIELDS_ON_CORRECT_TYPE")]
    [InlineData("{ hello ", "SYNTAX_ERROR")]
    [InlineData("mutation($text: String!) { echo(text: $text) }", "INVALID_VALUE")]
    public async Task An_operation_that_fails_parsing_or_validation_gets_an_error_message_and_no_complete(string query, string code)
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("bad", query);
        var error = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "ping" });
        var after = await socket.ReceiveAsync();

        Assert.Equal(("error", "bad"), (TypeOf(error), IdOf(error)));
        Assert.Equal(JsonValueKind.Array, error.GetProperty("payload").ValueKind);
        Assert.Equal(code, error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("pong", TypeOf(after)); // no complete after an error
    }

    [Fact]
    public async Task An_unexpected_exception_over_the_socket_leaks_nothing_but_a_correlation_id()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("boom", "{ boom }");
        var next = await socket.ReceiveAsync();
        await socket.ReceiveAsync(); // complete

        var text = next.GetRawText();
        var error = next.GetProperty("payload").GetProperty("errors")[0];
        Assert.Equal("INTERNAL_ERROR", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains(error.GetProperty("extensions").GetProperty("correlationId").GetString()!, error.GetProperty("message").GetString());
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task A_failing_stream_ends_with_an_error_message_that_leaks_nothing()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("f", "subscription { failingTicks(count: 2) }");
        var messages = await socket.ReceiveUntilAsync("f", "error");

        Assert.Equal(["next", "next", "error"], messages.Select(TypeOf));
        Assert.Equal("INTERNAL_ERROR", messages[2].GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.DoesNotContain("hunter2", messages[2].GetRawText());
    }

    [Fact]
    public async Task No_connection_init_within_the_timeout_closes_4408()
    {
        await using var quick = await TransportServer.StartAsync(options => options with { ConnectionInitTimeout = TimeSpan.FromMilliseconds(200) });
        await using var socket = await GraphQLSocket.ConnectAsync(quick.WebSocketEndpoint);

        var (status, reason) = await socket.ReceiveCloseAsync();

        Assert.Equal(4408, (int?)status);
        Assert.Equal("Connection initialisation timeout", reason);
    }

    [Fact]
    public async Task A_connection_init_in_time_is_not_closed_by_the_timeout()
    {
        await using var quick = await TransportServer.StartAsync(options => options with { ConnectionInitTimeout = TimeSpan.FromMilliseconds(500) });
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(quick.WebSocketEndpoint);

        await Task.Delay(700); // past the timeout: an initialised socket stays open
        await socket.SubscribeAsync("q", "{ hello }");

        Assert.Equal("next", TypeOf(await socket.ReceiveAsync()));
    }

    [Fact]
    public async Task A_second_connection_init_closes_4429()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SendAsync(new { type = "connection_init" });
        var (status, reason) = await socket.ReceiveCloseAsync();

        Assert.Equal(4429, (int?)status);
        Assert.Equal("Too many initialisation requests", reason);
    }

    [Fact]
    public async Task Subscribe_before_the_ack_closes_4401()
    {
        await using var socket = await GraphQLSocket.ConnectAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("early", "{ hello }");
        var (status, reason) = await socket.ReceiveCloseAsync();

        Assert.Equal(4401, (int?)status);
        Assert.Equal("Unauthorized", reason);
    }

    [Theory]
    [InlineData("""{"type":"subscribe_please","id":"1"}""", "Unexpected message of type \"subscribe_please\"")]
    [InlineData("""{"type":"next","id":"1","payload":{}}""", "Unexpected message of type \"next\"")]
    [InlineData("""{"type":"connection_ack"}""", "Unexpected message of type \"connection_ack\"")]
    [InlineData("""{"id":"1"}""", "no \"type\"")]
    [InlineData("""{"type":1}""", "no \"type\"")]
    [InlineData("""{"type":"subscribe","payload":{"query":"{ hello }"}}""", "no \"id\"")]
    [InlineData("""{"type":"subscribe","id":"","payload":{"query":"{ hello }"}}""", "no \"id\"")]
    [InlineData("""{"type":"subscribe","id":"1"}""", "\"payload\" must be an object")]
    [InlineData("""{"type":"subscribe","id":"1","payload":{"query":5}}""", "\"query\" must be a string")]
    [InlineData("""{"type":"subscribe","id":"1","payload":{"query":"{ hello }","variables":[1]}}""", "\"variables\" must be a JSON object")]
    [InlineData("""{"type":"complete"}""", "no \"id\"")]
    [InlineData("""{"type":"ping","payload":"x"}""", "\"payload\" must be an object")]
    [InlineData("""{"type": "subscribe", "id": """, "not JSON")]
    [InlineData("""[1,2]""", "not a JSON object")]
    [InlineData("hello", "not JSON")]
    public async Task An_invalid_message_closes_4400_with_a_reason(string message, string reason)
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SendTextAsync(message);
        var (status, description) = await socket.ReceiveCloseAsync();

        Assert.Equal(4400, (int?)status);
        Assert.Contains(reason, description);
    }

    [Fact]
    public async Task An_id_already_active_closes_4409()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);

        await socket.SubscribeAsync("dup", "subscription { ticks(count: 100000, intervalMs: 50) }");
        Assert.Equal("next", TypeOf(await socket.ReceiveAsync()));
        await socket.SubscribeAsync("dup", "{ hello }");
        var (status, reason) = await socket.SkipToCloseAsync();

        Assert.Equal(4409, (int?)status);
        Assert.Equal("Subscriber for dup already exists", reason);
    }

    [Fact]
    public async Task A_close_reason_is_cut_to_what_a_close_frame_holds()
    {
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(server.WebSocketEndpoint);
        var id = new string('é', 200);

        await socket.SubscribeAsync(id, "subscription { ticks(count: 100000, intervalMs: 50) }");
        Assert.Equal("next", TypeOf(await socket.ReceiveAsync()));
        await socket.SubscribeAsync(id, "{ hello }");
        var (status, reason) = await socket.SkipToCloseAsync();

        Assert.Equal(4409, (int?)status);
        Assert.StartsWith("Subscriber for éé", reason);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(reason!) <= 123);
    }

    [Fact]
    public async Task The_auth_hook_refusing_closes_4403_and_its_principal_runs_the_operations_when_it_accepts()
    {
        await using var guarded = await TransportServer.StartAsync(options => options with
        {
            AuthorizeConnection = (http, payload, cancel) => ValueTask.FromResult<ConnectionInitResult>(
                payload is { } p && p.TryGetProperty("authorization", out var token) && token.GetString() == "Bearer good"
                    ? new ConnectionInitResult.Accepted(
                        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test")),
                        new Dictionary<string, object?> { ["tenant"] = "demo" })
                    : new ConnectionInitResult.Refused("bad token")),
        });

        await using var refused = await GraphQLSocket.ConnectAsync(guarded.WebSocketEndpoint);
        await refused.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer bad" } });
        var (status, reason) = await refused.ReceiveCloseAsync();

        await using var accepted = await GraphQLSocket.ConnectAsync(guarded.WebSocketEndpoint);
        await accepted.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer good" } });
        var ack = await accepted.ReceiveAsync();
        await accepted.SubscribeAsync("who", "{ whoami }");
        var who = await accepted.ReceiveAsync();

        Assert.Equal(4403, (int?)status);
        Assert.Equal("Forbidden", reason);
        Assert.Equal("demo", ack.GetProperty("payload").GetProperty("tenant").GetString());
        Assert.Equal("ada", who.GetProperty("payload").GetProperty("data").GetProperty("whoami").GetString());
    }

    [Fact]
    public async Task The_connection_observer_sees_admitted_connections_close_and_can_refuse_them()
    {
        var observer = new CountingObserver(admit: 1);
        await using var observed = await TransportServer.StartAsync(services: services => services.AddSingleton<IGraphQLConnectionObserver>(observer));

        var first = await GraphQLSocket.ConnectAndInitAsync(observed.WebSocketEndpoint);
        await using var second = await GraphQLSocket.ConnectAsync(observed.WebSocketEndpoint);
        await second.SendAsync(new { type = "connection_init" });
        var (status, reason) = await second.ReceiveCloseAsync();
        await first.CloseAsync();
        await first.DisposeAsync();

        Assert.Equal(1013, (int?)status);
        Assert.Equal("Too many connections", reason);
        await Eventually(() => observer.Closed == 1);
        Assert.Equal(2, observer.Opened);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_1009()
    {
        await using var small = await TransportServer.StartAsync(options => options with { MaxMessageBytes = 512 });
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(small.WebSocketEndpoint);

        await socket.SubscribeAsync("big", "{ hello }", new { padding = new string('x', 1024) });
        var (status, reason) = await socket.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("Message too big", reason);
    }

    [Fact]
    public async Task A_message_just_within_the_size_limit_is_read()
    {
        await using var small = await TransportServer.StartAsync(options => options with { MaxMessageBytes = 512 });
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(small.WebSocketEndpoint);

        await socket.SubscribeAsync("fits", "{ hello }", new { padding = new string('x', 300) });

        Assert.Equal("next", TypeOf(await socket.ReceiveAsync()));
    }

    [Fact]
    public async Task Subscribing_past_the_concurrent_limit_gets_an_error_and_the_connection_stays_open()
    {
        await using var limited = await TransportServer.StartAsync(options => options with { MaxConcurrentSubscriptionsPerConnection = 2 });
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(limited.WebSocketEndpoint);
        const string Long = "subscription { ticks(count: 100000, intervalMs: 1000) }";

        await socket.SubscribeAsync("a", Long);
        await socket.SubscribeAsync("b", Long);
        await socket.SubscribeAsync("c", Long);
        var refusal = await socket.ReceiveAsync();
        await socket.SendAsync(new { id = "a", type = "complete" });
        await socket.SubscribeAsync("d", "{ hello }");
        var afterRoomMade = await socket.ReceiveAsync();

        Assert.Equal(("error", "c"), (TypeOf(refusal), IdOf(refusal)));
        Assert.Equal("TOO_MANY_ACTIVE_OPERATIONS", refusal.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(("next", "d"), (TypeOf(afterRoomMade), IdOf(afterRoomMade)));
    }

    [Fact]
    public async Task Operations_past_the_lifetime_limit_get_an_error_and_the_connection_stays_open()
    {
        await using var limited = await TransportServer.StartAsync(options => options with { MaxOperationsPerConnection = 2 });
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(limited.WebSocketEndpoint);

        await socket.SubscribeAsync("1", "{ hello }");
        await socket.ReceiveUntilAsync("1", "complete");
        await socket.SubscribeAsync("2", "{ hello }");
        await socket.ReceiveUntilAsync("2", "complete");
        await socket.SubscribeAsync("3", "{ hello }");
        var refusal = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "ping" });

        Assert.Equal(("error", "3"), (TypeOf(refusal), IdOf(refusal)));
        Assert.Equal("OPERATION_LIMIT_REACHED", refusal.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("pong", TypeOf(await socket.ReceiveAsync()));
    }

    [Theory]
    [InlineData("graphql-ws")]
    [InlineData(null)]
    public async Task Another_subprotocol_is_closed_4406(string? subProtocol)
    {
        await using var socket = await GraphQLSocket.ConnectAsync(server.WebSocketEndpoint, subProtocol);

        var (status, reason) = await socket.ReceiveCloseAsync();

        Assert.Null(socket.SubProtocolChosen);
        Assert.Equal(4406, (int?)status);
        Assert.Equal("Subprotocol not acceptable", reason);
    }

    [Fact]
    public async Task A_client_that_reads_too_slowly_is_closed_1013()
    {
        await using var tight = await TransportServer.StartAsync(options => options with { MaxQueuedMessagesPerConnection = 1 });
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(tight.WebSocketEndpoint);

        await socket.SubscribeAsync("flood", "subscription { ticks(count: 100000) }");
        var (status, _) = await socket.SkipToCloseAsync();

        Assert.Equal(1013, (int?)status);
    }

    [Fact]
    public async Task On_shutdown_active_subscriptions_complete_then_the_socket_closes_1001()
    {
        var stopping = await TransportServer.StartAsync();
        await using var socket = await GraphQLSocket.ConnectAndInitAsync(stopping.WebSocketEndpoint);
        await socket.SubscribeAsync("live", "subscription { ticks(count: 100000, intervalMs: 20) }");
        Assert.Equal("next", TypeOf(await socket.ReceiveAsync()));

        var stop = stopping.StopAsync();
        var messages = new List<JsonElement>();
        (WebSocketCloseStatus? Status, string? Reason) close;
        while (true)
        {
            var message = await socket.ReceiveMessageOrCloseAsync();
            if (message.Closed is { } closed) { close = closed; break; }
            messages.Add(message.Message!.Value);
        }
        await stop;
        var ticks = stopping.Ticks;
        await stopping.DisposeAsync();

        Assert.Equal(("complete", "live"), (TypeOf(messages[^1]), IdOf(messages[^1])));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.Status);
        Assert.Equal("Server shutting down", close.Reason);
        Assert.Equal(1, ticks.Subscribed);
        Assert.Equal(1, ticks.Disposed);
    }

    sealed class CountingObserver(int admit) : IGraphQLConnectionObserver
    {
        int opened, closed;

        public int Opened => Volatile.Read(ref opened);

        public int Closed => Volatile.Read(ref closed);

        public ValueTask<bool> OnOpenedAsync(GraphQLConnectionInfo connection, CancellationToken cancel) =>
            ValueTask.FromResult(Interlocked.Increment(ref opened) <= admit);

        public ValueTask OnClosedAsync(GraphQLConnectionInfo connection)
        {
            Interlocked.Increment(ref closed);
            return ValueTask.CompletedTask;
        }
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
