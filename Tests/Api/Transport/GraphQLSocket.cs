using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CartGraph.Tests.Api.Transport;

/// <summary>A graphql-transport-ws client for tests: every receive has a timeout, so a broken server fails instead of hanging.</summary>
public sealed class GraphQLSocket : IAsyncDisposable
{
    public const string SubProtocol = "graphql-transport-ws";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    readonly ClientWebSocket socket;

    GraphQLSocket(ClientWebSocket socket) => this.socket = socket;

    public string? SubProtocolChosen => socket.SubProtocol;

    public static async Task<GraphQLSocket> ConnectAsync(Uri endpoint, string? subProtocol = SubProtocol, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null) socket.Options.AddSubProtocol(subProtocol);
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(endpoint, timeout.Token);
        return new GraphQLSocket(socket);
    }

    /// <summary>Connects and goes through connection_init / connection_ack.</summary>
    public static async Task<GraphQLSocket> ConnectAndInitAsync(Uri endpoint, object? payload = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = await ConnectAsync(endpoint, SubProtocol, configure);
        await socket.SendAsync(payload is null ? new { type = "connection_init" } : new { type = "connection_init", payload });
        var ack = await socket.ReceiveAsync();
        Assert.Equal("connection_ack", ack.GetProperty("type").GetString());
        return socket;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message; fails if the socket closes or nothing arrives in time.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? patience = null)
    {
        var (message, closed) = await ReceiveAnyAsync(patience ?? Patience);
        if (message is null) Assert.Fail($"Expected a message, but the socket closed: {closed}");
        return message.Value;
    }

    /// <summary>Messages until the given type for the given id (inclusive).</summary>
    public async Task<List<JsonElement>> ReceiveUntilAsync(string id, string type)
    {
        var messages = new List<JsonElement>();
        while (true)
        {
            var message = await ReceiveAsync();
            messages.Add(message);
            if (message.GetProperty("type").GetString() == type && message.TryGetProperty("id", out var got) && got.GetString() == id)
                return messages;
        }
    }

    /// <summary>The close the server sends next (failing on any other message), once the closing handshake is over.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync(TimeSpan? patience = null)
    {
        var (message, closed) = await ReceiveAnyAsync(patience ?? Patience);
        if (message is { } unexpected) Assert.Fail($"Expected a close, got {unexpected}");
        return closed!.Value;
    }

    /// <summary>The next message, or the close when the server closes instead; fails if neither comes in time.</summary>
    public async Task<(JsonElement? Message, (WebSocketCloseStatus? Status, string? Reason)? Closed)> ReceiveMessageOrCloseAsync()
    {
        var received = await ReceiveAnyAsync(Patience);
        if (received.Closed is { Status: null } timedOut) Assert.Fail($"Nothing arrived: {timedOut.Reason}");
        return received;
    }

    /// <summary>The close the server sends, skipping the messages before it.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> SkipToCloseAsync()
    {
        while (true)
        {
            if ((await ReceiveMessageOrCloseAsync()).Closed is { } closed) return closed;
        }
    }

    async Task<(JsonElement? Message, (WebSocketCloseStatus? Status, string? Reason)? Closed)> ReceiveAnyAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var frame = await socket.ReceiveAsync(buffer, timeout.Token);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return (null, (socket.CloseStatus, socket.CloseStatusDescription));
                }
                message.Write(buffer, 0, frame.Count);
                if (frame.EndOfMessage) return (JsonDocument.Parse(message.ToArray()).RootElement.Clone(), null);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // NOTE: cancelling a receive aborts a ClientWebSocket: only used where silence is what the test expects.
            return (null, (null, "timed out"));
        }
    }

    public async Task CloseAsync()
    {
        if (socket.State != WebSocketState.Open) return;
        using var timeout = new CancellationTokenSource(Patience);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    public WebSocketState State => socket.State;

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
