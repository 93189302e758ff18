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
/// per operation, and the writer (the only one that sends): every message goes through a bounded queue to it, so sends
/// never overlap and each operation's messages keep their order. A close is requested once (first reason wins): the
/// writer then sends the close frame, and the socket is dropped if the client has not answered within CloseTimeout.
/// The connection ends when the receive loop has ended, the writer has finished and every operation has stopped.
/// </remarks>
internal sealed class GraphQLWebSocketConnection
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
        var writer = WriteAllAsync();
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
                await writer;
                await Task.WhenAll(running.Values.Select(operation => operation.Run));
                await NotifyClosedAsync();
            }
        }
        ending.Dispose();
        dropping.Dispose();
    }

    private async Task ReceiveAllAsync()
    {
        var message = new ArrayBufferWriter<byte>(4 * 1024);
        while (true)
        {
            var frame = await socket.ReceiveAsync(message.GetMemory(4 * 1024), CancellationToken.None);
            if (frame.MessageType == WebSocketMessageType.Close)
            {
                RequestClose(CloseCodes.NormalClosure, "", drain: false); // the answer to the client's close (or to ours)
                return;
            }
            if (Volatile.Read(ref close) is not null)
            {
                message.ResetWrittenCount(); // closing: what still arrives is read and dropped
                continue;
            }
            message.Advance(frame.Count);
            if (message.WrittenCount > options.MaxMessageBytes)
            {
                RequestClose(CloseCodes.MessageTooBig, "Message too big");
                message.ResetWrittenCount();
                continue;
            }
            if (!frame.EndOfMessage) continue;
            // NOTE: text and binary frames alike are read as UTF-8 JSON, as the reference server does.
            var parsed = ClientMessage.Parse(message.WrittenMemory, settings.Json.Options);
            message.ResetWrittenCount();
            await HandleAsync(parsed);
        }
    }

    private async Task HandleAsync(ClientMessage message)
    {
        switch (message)
        {
            case ClientMessage.Invalid { Reason: var reason }:
                RequestClose(CloseCodes.BadRequest, reason);
                break;
            case ClientMessage.ConnectionInit { Payload: var payload }:
                await InitialiseAsync(payload);
                break;
            case ClientMessage.Ping { Payload: var payload }:
                Enqueue(new Outgoing(null, new ServerMessage.Pong(payload)));
                break;
            case ClientMessage.Pong:
                break;
            case ClientMessage.Subscribe subscribe:
                Start(subscribe);
                break;
            case ClientMessage.Complete { Id: var id }:
                // An unknown id is an operation already over: ignored, as the protocol allows.
                if (active.TryRemove(id, out var operation)) operation.Withdraw();
                break;
        }
    }

    private async Task InitialiseAsync(JsonElement? payload)
    {
        if (Interlocked.Exchange(ref initReceived, 1) == 1)
        {
            RequestClose(CloseCodes.TooManyInitialisationRequests, "Too many initialisation requests");
            return;
        }

        ConnectionInitResult decision;
        try
        {
            decision = options.AuthorizeConnection is { } authorize
                ? await authorize(http, payload, ending.Token)
                : new ConnectionInitResult.Accepted(http.User);
            if (decision is ConnectionInitResult.Accepted { User: var principal } && observer is not null)
            {
                var connection = new GraphQLConnectionInfo(connectionId, http, principal);
                if (await observer.OnOpenedAsync(connection, ending.Token))
                    admitted = connection;
                else
                {
                    // Over a cap (connections per tenant, say): the client may come back later, as 1013 tells it.
                    Log.LogInformation("WebSocket {ConnectionId} refused by the connection observer: too many connections", connectionId);
                    RequestClose(CloseCodes.TryAgainLater, "Too many connections");
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            Log.LogError(e, "Authorizing WebSocket {ConnectionId} failed", connectionId);
            RequestClose(CloseCodes.InternalServerError, "Internal server error");
            return;
        }

        switch (decision)
        {
            case ConnectionInitResult.Accepted { User: var principal, AckPayload: var ackPayload }:
                Volatile.Write(ref user, principal);
                Enqueue(new Outgoing(null, new ServerMessage.ConnectionAck(ackPayload)));
                break;
            case ConnectionInitResult.Refused { Reason: var reason }:
                Log.LogInformation("WebSocket {ConnectionId} refused: {Reason}", connectionId, reason);
                RequestClose(CloseCodes.Forbidden, "Forbidden");
                break;
        }
    }

    private void Start(ClientMessage.Subscribe subscribe)
    {
        if (Volatile.Read(ref user) is null)
        {
            RequestClose(CloseCodes.Unauthorized, "Unauthorized");
            return;
        }
        if (active.ContainsKey(subscribe.Id))
        {
            RequestClose(CloseCodes.SubscriberAlreadyExists, $"Subscriber for {subscribe.Id} already exists");
            return;
        }
        if (active.Count >= options.MaxConcurrentSubscriptionsPerConnection)
        {
            Refuse(subscribe.Id, TransportError.TooManyActiveOperations,
                $"At most {options.MaxConcurrentSubscriptionsPerConnection} operations may be active on one connection: complete one first.");
            return;
        }
        if (operationsStarted >= options.MaxOperationsPerConnection)
        {
            Refuse(subscribe.Id, TransportError.OperationLimitReached,
                $"This connection has run the {options.MaxOperationsPerConnection} operations it may run: open a new connection.");
            return;
        }

        var operation = new SocketOperation(subscribe.Id, ++operationsStarted, subscribe.Request, ending.Token);
        active[operation.Id] = operation;
        running[operation.Sequence] = operation;
        operation.Run = Task.Run(() => RunOperationAsync(operation));
    }

    private void Refuse(string id, string code, string message) =>
        Enqueue(new Outgoing(null, new ServerMessage.Error(id, [TransportError.Of(code, message)])));

    private async Task RunOperationAsync(SocketOperation operation)
    {
        var correlationId = $"{connectionId}:{operation.Sequence}";
        try
        {
            // A scope per operation: the upgrade request's scope lives as long as the socket.
            await using var scope = http.RequestServices.CreateAsyncScope();
            switch (settings.Executor.Prepare(settings.SchemaType, operation.Request, Volatile.Read(ref user)!))
            {
                case PreparedOperation.Unparseable { Result: var errors }:
                    Finish(operation, ServerMessage.ErrorOf(operation.Id, errors));
                    break;
                case PreparedOperation.Parsed parsed:
                    var context = new GraphQLUserContext(http, Volatile.Read(ref user)!, correlationId);
                    var result = await settings.Executor.ExecuteAsync(
                        settings.SchemaType, settings.SchemaOf(scope.ServiceProvider), parsed, context, scope.ServiceProvider, operation.Stopping);
                    if (!result.Executed)
                        Finish(operation, ServerMessage.ErrorOf(operation.Id, result));
                    else if (result.Streams is { Count: > 0 } streams)
                        await StreamAsync(operation, streams, correlationId);
                    else
                    {
                        Emit(operation, new ServerMessage.Next(operation.Id, result));
                        Finish(operation, new ServerMessage.Complete(operation.Id));
                    }
                    break;
            }
        }
        catch (OperationCanceledException) when (operation.Stopping.IsCancellationRequested)
        {
            // Completed by the client, or the connection is ending.
        }
        catch (Exception e)
        {
            Finish(operation, new ServerMessage.Error(operation.Id, [settings.Executor.Hide(e, correlationId)]));
        }
        finally
        {
            Finish(operation, null);
            running.TryRemove(operation.Sequence, out _);
            operation.Dispose();
        }
    }

    /// <summary>Forwards each event of the subscription's streams as <c>next</c> until they complete, fail, or the operation stops.</summary>
    private async Task StreamAsync(SocketOperation operation, IDictionary<string, IObservable<ExecutionResult>> streams, string correlationId)
    {
        var over = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = streams.Count;
        var subscriptions = new List<IDisposable>(streams.Count);
        try
        {
            foreach (var stream in streams.Values)
            {
                subscriptions.Add(stream.Subscribe(new StreamObserver(
                    Next: result => Emit(operation, new ServerMessage.Next(operation.Id, result)),
                    Failed: error =>
                    {
                        var shown = error as ExecutionError ?? settings.Executor.Hide(error, correlationId);
                        Finish(operation, new ServerMessage.Error(operation.Id, [shown]));
                        over.TrySetResult();
                    },
                    Completed: () =>
                    {
                        if (Interlocked.Decrement(ref open) > 0) return;
                        Finish(operation, new ServerMessage.Complete(operation.Id));
                        over.TrySetResult();
                    })));
            }
            using (operation.Stopping.Register(() => over.TrySetResult()))
                await over.Task;
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                try
                {
                    subscription.Dispose();
                }
                catch (Exception e)
                {
                    Log.LogWarning(e, "Disposing subscription {CorrelationId} failed", correlationId);
                }
            }
        }
    }

    private sealed record StreamObserver(Action<ExecutionResult> Next, Action<Exception> Failed, Action Completed) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => Next(value);

        public void OnError(Exception error) => Failed(error);

        public void OnCompleted() => Completed();
    }

    /// <summary>Queues a result of a running operation; nothing once it is finished or stopping.</summary>
    private void Emit(SocketOperation operation, ServerMessage message)
    {
        lock (operation)
        {
            if (operation.Finished || operation.Stopping.IsCancellationRequested) return;
            Enqueue(new Outgoing(operation, message));
        }
    }

    /// <summary>Queues an operation's last message (none when null) and frees its id; only the first call counts.</summary>
    private void Finish(SocketOperation operation, ServerMessage? last)
    {
        lock (operation)
        {
            if (operation.Finished) return;
            operation.Finished = true;
            active.TryRemove(new KeyValuePair<string, SocketOperation>(operation.Id, operation));
            if (last is not null && !operation.Withdrawn) Enqueue(new Outgoing(operation, last));
        }
    }

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
