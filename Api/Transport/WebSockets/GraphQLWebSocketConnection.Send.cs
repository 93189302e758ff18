using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>
/// The sender: every message goes through the bounded queue and is sent in order by whichever thread finds no send under
/// way, most often the one that queued it, at once; one that finds a send under way leaves its message to that sender,
/// which sends all that is queued before it lets go. A full queue closes the socket.
/// </summary>
/// <remarks>
/// NOTE: a task that waited for the queue would cost a thread pool hand-over per message, which with thousands of
/// subscribers of one feed was a good part of a change's cost; sending on the queuing thread costs none.
/// </remarks>
internal sealed partial class GraphQLWebSocketConnection
{
    /// <summary>1 while a thread sends; it stays 1 once the close frame is sent, or sending failed.</summary>
    private int sending;

    /// <summary>Done when the sender has finished for good: close frame sent, nothing more to send, or the socket failed.</summary>
    private readonly TaskCompletionSource sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Only the sender writes into it, through <see cref="json"/>.</summary>
    private readonly ArrayBufferWriter<byte> frame = new(4 * 1024);

    /// <summary>The sender's writer, reset for each message rather than made anew.</summary>
    private Utf8JsonWriter? json;

    /// <summary>Queues a message and sends what is queued unless a send is under way.</summary>
    private void Enqueue(Outgoing outgoing)
    {
        Queue(outgoing);
        Send();
    }

    /// <summary>Queues a message without sending: for callers holding a lock, who call <see cref="Send"/> once out of it.</summary>
    private void Queue(Outgoing outgoing)
    {
        if (outbox.Writer.TryWrite(outgoing) || Volatile.Read(ref close) is not null) return;
        RequestClose(CloseCodes.TryAgainLater, "Too many messages waiting: the client reads too slowly");
    }

    /// <summary>Sends what is queued, on this thread, unless another one sends already (it sends this too).</summary>
    private void Send()
    {
        if (Interlocked.CompareExchange(ref sending, 1, 0) == 0) _ = SendQueuedAsync();
    }

    private async Task SendQueuedAsync()
    {
        try
        {
            while (true)
            {
                while (outbox.Reader.TryRead(out var outgoing))
                {
                    var (operation, message) = outgoing;
                    if (Volatile.Read(ref close) is { Drain: false }) continue;
                    if (operation is { Withdrawn: true }) continue;
                    if (!TryWrite(message)) continue;
                    await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
                if (outbox.Reader.Completion.IsCompleted)
                {
                    if (Volatile.Read(ref close) is { } request && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(request.Status, request.Reason, CancellationToken.None);
                    sent.TrySetResult();
                    return;
                }
                Interlocked.Exchange(ref sending, 0); // a full fence: the look below is not read before this is written
                // A message queued after the last read found this sender busy and left it here: take it, unless another has.
                if (!outbox.Reader.TryPeek(out _) && !outbox.Reader.Completion.IsCompleted) return;
                if (Interlocked.CompareExchange(ref sending, 1, 0) != 0) return;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Log.LogDebug(e, "WebSocket {ConnectionId}: send failed", connectionId);
            sent.TrySetResult();
        }
        catch (Exception e)
        {
            Log.LogError(e, "WebSocket {ConnectionId}: sender failed", connectionId);
            socket.Abort();
            sent.TrySetResult();
        }
    }

    /// <summary>Writes <paramref name="message"/> into <see cref="frame"/>, in place of the one before.</summary>
    private bool TryWrite(ServerMessage message)
    {
        try
        {
            frame.ResetWrittenCount();
            json ??= new Utf8JsonWriter(frame);
            json.Reset();
            message.WriteTo(json, settings.Json.Options);
            json.Flush();
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
