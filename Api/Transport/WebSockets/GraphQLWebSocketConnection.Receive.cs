using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using CartGraph.Api.Transport.Execution;
using GraphQL;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>The receive loop: the only reader of the socket, and the only one that starts operations.</summary>
internal sealed partial class GraphQLWebSocketConnection
{
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
}
