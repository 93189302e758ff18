using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using CartGraph.Api.Transport.Execution;
using GraphQL;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>One task per operation: it executes, streams a subscription's results, and queues each message for the sender.</summary>
internal sealed partial class GraphQLWebSocketConnection
{
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
            Queue(new Outgoing(operation, message));
        }
        Send();
    }

    /// <summary>Queues an operation's last message (none when null) and frees its id; only the first call counts.</summary>
    private void Finish(SocketOperation operation, ServerMessage? last)
    {
        lock (operation)
        {
            if (operation.Finished) return;
            operation.Finished = true;
            active.TryRemove(new KeyValuePair<string, SocketOperation>(operation.Id, operation));
            if (last is not null && !operation.Withdrawn) Queue(new Outgoing(operation, last));
        }
        Send();
    }
}
