using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using CartGraph.Api.Transport.Execution;
using GraphQL;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>The writer: the only sender, draining the bounded queue in order; a full queue closes the socket.</summary>
internal sealed partial class GraphQLWebSocketConnection
{
    private void Enqueue(Outgoing outgoing)
    {
        if (outbox.Writer.TryWrite(outgoing) || Volatile.Read(ref close) is not null) return;
        RequestClose(CloseCodes.TryAgainLater, "Too many messages waiting: the client reads too slowly");
    }

    private async Task WriteAllAsync()
    {
        await Task.Yield(); // the receive loop starts at once; this runs beside it
        var buffer = new ArrayBufferWriter<byte>(4 * 1024);
        try
        {
            await foreach (var (operation, message) in outbox.Reader.ReadAllAsync())
            {
                if (Volatile.Read(ref close) is { Drain: false }) continue;
                if (operation is { Withdrawn: true }) continue;
                buffer.ResetWrittenCount();
                if (!TryWrite(buffer, message)) continue;
                await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            if (Volatile.Read(ref close) is { } request && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(request.Status, request.Reason, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Log.LogDebug(e, "WebSocket {ConnectionId}: send failed", connectionId);
        }
        catch (Exception e)
        {
            Log.LogError(e, "WebSocket {ConnectionId}: writer failed", connectionId);
            socket.Abort();
        }
    }

    private bool TryWrite(ArrayBufferWriter<byte> buffer, ServerMessage message)
    {
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            message.WriteTo(writer, settings.Json.Options);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.LogError(e, "WebSocket {ConnectionId}: a {Message} could not be serialized", connectionId, message.GetType().Name);
            RequestClose(CloseCodes.InternalServerError, "Internal server error");
            return false;
        }
    }
}
