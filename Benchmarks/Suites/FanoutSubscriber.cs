using System.Net.WebSockets;
using System.Text;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// One graphql-transport-ws client with one subscription, as a browser tab holds it: its own socket, connection_init
/// with the token, a subscribe, then every <c>next</c> noted by the event's stream position (read from the text, not
/// parsed: the client must not be what is measured).
/// </summary>
internal sealed class FanoutSubscriber(Uri endpoint, string token, string subscribe, Action<long> received) : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly CancellationTokenSource stop = new();
    private Task reading = Task.CompletedTask;

    public int Errors { get; private set; }

    /// <summary>The first message that was no event, ping or pong (an error, a complete), or how the socket closed.</summary>
    public string? Unexpected { get; private set; }

    public async Task OpenAsync()
    {
        socket.Options.AddSubProtocol("graphql-transport-ws");
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(endpoint, stop.Token);
        await SendAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "connection_init",
            ["payload"] = new System.Text.Json.Nodes.JsonObject { ["authorization"] = $"Bearer {token}" },
        }.ToJsonString());
        var buffer = new byte[4096];
        var ack = await socket.ReceiveAsync(buffer, stop.Token);
        var text = Encoding.UTF8.GetString(buffer, 0, ack.Count);
        if (!text.Contains("connection_ack", StringComparison.Ordinal)) throw new InvalidOperationException($"no connection_ack: {text} ({socket.CloseStatusDescription})");
        await SendAsync(subscribe);
        reading = ReadAsync(buffer);
    }

    private Task SendAsync(string message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, stop.Token);

    /// <remarks>NOTE: no token on each receive (it registers on it every time): disposing aborts the socket instead.</remarks>
    private async Task ReadAsync(byte[] buffer)
    {
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                    if (count == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Unexpected ??= $"closed {socket.CloseStatus} {socket.CloseStatusDescription}";
                    return;
                }
                var message = buffer.AsSpan(0, count);
                if (StreamPosition(message) is { } position) received(position);
                else if (message.IndexOf("\"ping\""u8) >= 0) await SendAsync("""{"type":"pong"}""");
                else if (message.IndexOf("\"pong\""u8) < 0)
                {
                    Errors++;
                    Unexpected ??= Encoding.UTF8.GetString(message);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            if (e is WebSocketException && !stop.IsCancellationRequested) Unexpected ??= e.Message;
            // Stopped, or the server went away.
        }
    }

    private static long? StreamPosition(ReadOnlySpan<byte> message)
    {
        var field = "\"streamPosition\":"u8;
        var at = message.IndexOf(field);
        if (at < 0) return null;
        var position = 0L;
        for (var i = at + field.Length; i < message.Length && char.IsAsciiDigit((char)message[i]); i++) position = position * 10 + (message[i] - '0');
        return position;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        socket.Abort();
        try
        {
            await reading;
        }
        catch (Exception)
        {
            // Whatever ended it, it has ended.
        }
        socket.Abort();
        socket.Dispose();
        stop.Dispose();
    }
}
