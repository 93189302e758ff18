using System.Text.Json;
using CartGraph.Api.Transport.Execution;
using CartGraph.Api.Transport.Http;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CartGraph.Api.Transport.EventStreams;

/// <summary>
/// GraphQL over Server-Sent Events, the graphql-sse protocol's distinct connections mode: one request (POST, or GET
/// for a query or subscription) with <c>Accept: text/event-stream</c> runs one operation and streams its results as
/// <c>next</c> messages, then <c>complete</c>. Closing the request ends a subscription.
/// </summary>
/// <remarks>
/// What fails before the stream starts is answered as the HTTP transport answers it (401, 405, 413, 415, 400 for a
/// malformed request, 503 with Retry-After when the tenant is at its connection limit). A GraphQL request error
/// (syntax, validation, depth or cost) is a result like any other, as the protocol asks: <c>next</c> with the errors,
/// then <c>complete</c>. A subscription's stream counts as a connection for <see cref="IGraphQLConnectionObserver"/>,
/// as a socket does. The request's <c>Last-Event-ID</c> reaches resolvers as <see cref="GraphQLUserContext.LastEventId"/>,
/// and <see cref="GraphQLTransportOptions.EventIdOf"/> gives each <c>next</c> its id. When the server stops, the response
/// ends without <c>complete</c>: the client reconnects (to another instance) and resumes.
/// </remarks>
internal sealed class EventStreamOperation(
    OperationExecutor executor, TransportJson json, GraphQLTransportOptions options, Type schemaType, Func<IServiceProvider, ISchema> schemaOf,
    CancellationToken serverStopping, ILogger logger)
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>Runs a parsed operation on the stream; <paramref name="prepared"/> may hold request errors instead.</summary>
    public async Task RunAsync(HttpContext http, PreparedOperation prepared)
    {
        if (prepared is not PreparedOperation.Parsed parsed)
        {
            await AnswerOnceAsync(http, ((PreparedOperation.Unparseable)prepared).Result);
            return;
        }
        if (parsed.Type != OperationType.Subscription)
        {
            await AnswerOnceAsync(http, await ExecuteAsync(http, parsed, http.RequestAborted));
            return;
        }

        var observer = http.RequestServices.GetService<IGraphQLConnectionObserver>();
        var connection = new GraphQLConnectionInfo($"sse:{http.TraceIdentifier}", http, http.User);
        if (observer is not null && !await observer.OnOpenedAsync(connection, http.RequestAborted))
        {
            http.Response.Headers.RetryAfter = "5";
            await WriteJsonAsync(http, StatusCodes.Status503ServiceUnavailable,
                TransportError.Result(TransportError.TooManyConnections, "Too many connections for this tenant on this instance: try again later."));
            return;
        }
        try
        {
            await StreamAsync(http, parsed);
        }
        finally
        {
            if (observer is not null) await observer.OnClosedAsync(connection);
        }
    }

    private async Task StreamAsync(HttpContext http, PreparedOperation.Parsed parsed)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, serverStopping);
        var writer = new EventStreamWriter(http.Response, json, options);
        var result = await ExecuteAsync(http, parsed, ending.Token);
        await writer.StartAsync(ending.Token);
        if (result.Streams is not { Count: > 0 } streams)
        {
            writer.Next(result);
            writer.Complete();
            await writer.PumpAsync(ending.Token);
            return;
        }

        var open = streams.Count;
        var subscriptions = new List<IDisposable>(streams.Count);
        try
        {
            foreach (var stream in streams.Values)
            {
                subscriptions.Add(stream.Subscribe(new ResultObserver(
                    Next: next =>
                    {
                        if (!writer.Next(next)) ending.Cancel();
                    },
                    Failed: error =>
                    {
                        var shown = error as ExecutionError ?? executor.Hide(error, http.TraceIdentifier);
                        writer.Next(new ExecutionResult(shown));
                        writer.Complete();
                    },
                    Completed: () =>
                    {
                        if (Interlocked.Decrement(ref open) == 0) writer.Complete();
                    })));
            }
            await writer.PumpAsync(ending.Token);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            if (writer.Overflowed)
                logger.LogWarning("GraphQL event stream {CorrelationId} ended: the client read slower than results came", http.TraceIdentifier);
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
                    logger.LogWarning(e, "Disposing subscription {CorrelationId} failed", http.TraceIdentifier);
                }
            }
        }
    }

    private Task<ExecutionResult> ExecuteAsync(HttpContext http, PreparedOperation.Parsed parsed, CancellationToken cancel)
    {
        var lastEventId = http.Request.Headers[LastEventIdHeader];
        var context = new GraphQLUserContext(http, http.User, http.TraceIdentifier) { LastEventId = lastEventId.Count == 1 ? lastEventId[0] : null };
        return executor.ExecuteAsync(schemaType, schemaOf(http.RequestServices), parsed, context, http.RequestServices, cancel);
    }

    /// <summary>One result, then complete: a query, a mutation, or a request error.</summary>
    private async Task AnswerOnceAsync(HttpContext http, ExecutionResult result)
    {
        var writer = new EventStreamWriter(http.Response, json, options);
        await writer.StartAsync(http.RequestAborted);
        writer.Next(result);
        writer.Complete();
        await writer.PumpAsync(http.RequestAborted);
    }

    private async Task WriteJsonAsync(HttpContext http, int status, ExecutionResult result)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(result, json.Options);
        http.Response.StatusCode = status;
        http.Response.ContentType = MediaTypes.WithCharset(MediaTypes.Json);
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    private sealed record ResultObserver(Action<ExecutionResult> Next, Action<Exception> Failed, Action Completed) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => Next(value);

        public void OnError(Exception error) => Failed(error);

        public void OnCompleted() => Completed();
    }
}
