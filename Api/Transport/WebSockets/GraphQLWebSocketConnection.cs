using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using CartGraph.Api.Transport.Execution;
using GraphQL;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>One accepted socket speaking graphql-transport-ws (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md).</summary>
/// <remarks>
/// Three kinds of work: the receive loop (the only one that reads, and the only one that starts operations), one task
/// per operation, and the sender (one at a time: every message goes through a bounded queue, sent in order by the thread
/// that finds no send under way), so sends never overlap and each operation's messages keep their order. A close is
/// requested once (first reason wins): the sender then sends the close frame, and the socket is dropped if the client
/// has not answered within CloseTimeout. The connection ends when the receive loop has ended, the sender has finished
/// and every operation has stopped.
/// Each has its file: GraphQLWebSocketConnection.Receive.cs, .Run.cs and .Send.cs; this one holds the state, the
/// connection's lifetime and its close.
/// </remarks>
internal sealed partial class GraphQLWebSocketConnection
{
    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason, bool Drain);

    private readonly record struct Outgoing(SocketOperation? Operation, ServerMessage Message);

    private readonly WebSocket socket;
    private readonly HttpContext http;
    private readonly WebSocketSettings settings;
    private readonly GraphQLTransportOptions options;
    private readonly IGraphQLConnectionObserver? observer;
    private readonly string connectionId;
    private readonly Channel<Outgoing> outbox;
    private readonly ConcurrentDictionary<string, SocketOperation> active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, SocketOperation> running = new();
    private readonly CancellationTokenSource ending = new();
    private readonly CancellationTokenSource dropping = new();
    private CloseRequest? close;
    private int initReceived;
    private ClaimsPrincipal? user;
    private GraphQLConnectionInfo? admitted;
    private long operationsStarted;

    public GraphQLWebSocketConnection(WebSocket socket, HttpContext http, WebSocketSettings settings)
    {
        this.socket = socket;
        this.http = http;
        this.settings = settings;
        options = settings.Options;
        observer = http.RequestServices.GetService<IGraphQLConnectionObserver>();
        connectionId = http.TraceIdentifier;
        outbox = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(Math.Max(1, options.MaxQueuedMessagesPerConnection))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // NOTE: only TryWrite is used: a full queue closes the socket, it never blocks a producer.
        });
    }

    private ILogger Log => settings.Logger;

    public async Task RunAsync()
    {
        using (var initTimer = new CancellationTokenSource(options.ConnectionInitTimeout))
        using (initTimer.Token.Register(CloseUnlessInitialised))
        using (settings.ApplicationStopping.Register(Shutdown))
        using (dropping.Token.Register(socket.Abort))
        {
            try
            {
                await ReceiveAllAsync();
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                Log.LogDebug(e, "WebSocket {ConnectionId} dropped", connectionId);
            }
            catch (Exception e)
            {
                Log.LogError(e, "WebSocket {ConnectionId} failed", connectionId);
            }
            finally
            {
                RequestClose(CloseCodes.NormalClosure, "", drain: false);
                try
                {
                    ending.Cancel();
                }
                catch (AggregateException e)
                {
                    Log.LogWarning(e, "WebSocket {ConnectionId}: a cancellation callback failed", connectionId);
                }
                await sent.Task;
                await Task.WhenAll(running.Values.Select(operation => operation.Run));
                await NotifyClosedAsync();
            }
        }
        ending.Dispose();
        dropping.Dispose();
    }

    /// <summary>Asks for the socket to close; the first request wins. With <paramref name="drain"/> queued messages go
    /// first, otherwise they are dropped ("immediate" closure, as the protocol says).</summary>
    private void RequestClose(WebSocketCloseStatus status, string reason, bool drain = false)
    {
        if (Interlocked.CompareExchange(ref close, new CloseRequest(status, CloseCodes.Fit(reason), drain), null) is not null) return;
        try
        {
            dropping.CancelAfter(options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection is over already.
        }
        outbox.Writer.TryComplete();
        Send(); // the close frame goes once what may still be sent is sent
    }

    private void CloseUnlessInitialised()
    {
        if (Volatile.Read(ref initReceived) == 0)
            RequestClose(CloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout");
    }

    /// <summary>Application stopping: each active operation gets its <c>complete</c>, then the socket closes 1001.</summary>
    private void Shutdown()
    {
        foreach (var operation in active.Values)
        {
            Finish(operation, new ServerMessage.Complete(operation.Id));
            operation.Stop();
        }
        RequestClose(CloseCodes.GoingAway, "Server shutting down", drain: true);
    }

    private async Task NotifyClosedAsync()
    {
        if (admitted is null || observer is null) return;
        try
        {
            await observer.OnClosedAsync(admitted);
        }
        catch (Exception e)
        {
            Log.LogError(e, "The connection observer failed on closing {ConnectionId}", connectionId);
        }
    }
}
