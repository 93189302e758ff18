using System.Text.Json;
using CartGraph.Api.Transport.EventStreams;
using CartGraph.Api.Transport.Execution;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CartGraph.Api.Transport.Http;

/// <summary>GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/): POST and GET, content negotiation,
/// the spec's status codes, a body limit.</summary>
/// <remarks>
/// Status codes: 405 for a method other than GET/POST (Allow: GET, POST) and for a mutation or subscription over GET
/// (Allow: POST); 406 when the Accept header allows neither response type; 415 for a POST that is not
/// <c>application/json</c> in UTF-8 (a missing Content-Type included); 413 over the body limit; 400 for a request that is
/// not well-formed (bad JSON, a parameter of the wrong type, no query) whatever the media type. Then by media type:
/// <c>application/graphql-response+json</c> answers 400 when nothing was executed (syntax, validation, operation or
/// variable errors: no <c>data</c> entry) and 200 once execution ran, field errors or not; <c>application/json</c>
/// answers 200 for all of those, as its appendix says. A subscription over POST is such a request error (no data,
/// code SUBSCRIPTION_REQUIRES_WEBSOCKET): 400, or 200 with <c>application/json</c>. An unexpected failure before
/// execution is 500 with code INTERNAL_ERROR and a correlation id, never details.
/// With <c>Accept: text/event-stream</c> (and only then may a subscription, or a GET, ask for it) the operation runs over
/// Server-Sent Events (<see cref="EventStreamOperation"/>) once the request is authenticated and well-formed.
/// </remarks>
internal sealed class GraphQLHttpEndpoint(
    OperationExecutor executor, TransportJson json, GraphQLTransportOptions options, Type schemaType, Func<IServiceProvider, ISchema> schemaOf,
    EventStreamOperation eventStreams)
{
    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            await AnswerAsync(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            var error = executor.Hide(e, http.TraceIdentifier);
            await WriteAsync(http, StatusCodes.Status500InternalServerError, MediaTypes.Json, new ExecutionResult(error));
        }
    }

    private async Task AnswerAsync(HttpContext http)
    {
        var request = http.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteAsync(http, StatusCodes.Status405MethodNotAllowed, MediaTypes.Json,
                TransportError.Result(TransportError.MethodNotAllowed, "GraphQL is served over GET (queries) and POST."));
            return;
        }

        http.Response.Headers.Vary = "Accept";
        var serveIde = isGet ? options.ServeIde : null;
        var mediaType = AcceptNegotiation.Choose(request.Headers.Accept, serveIde is null ? MediaTypes.Responses : MediaTypes.ResponsesOrIde);
        if (mediaType == MediaTypes.Html && serveIde is not null)
        {
            await serveIde(http);
            return;
        }
        if (mediaType is null)
        {
            await WriteAsync(http, StatusCodes.Status406NotAcceptable, MediaTypes.Json, TransportError.Result(TransportError.NotAcceptable,
                $"The Accept header allows none of {MediaTypes.GraphQLResponse}, {MediaTypes.Json} (UTF-8) and {MediaTypes.EventStream}."));
            return;
        }

        if (options.RequireAuthenticatedUser && http.User.Identity?.IsAuthenticated != true)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteAsync(http, StatusCodes.Status401Unauthorized, mediaType, TransportError.Result(TransportError.Unauthenticated,
                "This endpoint needs a bearer token: Authorization: Bearer <token>."));
            return;
        }

        switch (isGet ? RequestParsing.FromQueryString(request.Query, json.Options) : await ReadBodyAsync(http, mediaType))
        {
            case RequestRead.WellFormed { Request: var wellFormed }:
                await AnswerOperationAsync(http, isGet, mediaType, wellFormed);
                return;
            case RequestRead.Malformed { Reason: var reason }:
                await WriteAsync(http, StatusCodes.Status400BadRequest, mediaType, TransportError.Result(TransportError.BadRequest, reason));
                return;
            case null:
                return; // 413 or 415, answered already
        }
    }

    private async Task AnswerOperationAsync(HttpContext http, bool isGet, string mediaType, OperationRequest request)
    {
        var prepared = executor.Prepare(schemaType, request, http.User);
        if (mediaType == MediaTypes.EventStream)
        {
            if (prepared is PreparedOperation.Parsed { Type: OperationType.Mutation } && isGet)
            {
                http.Response.Headers.Allow = "POST";
                await WriteAsync(http, StatusCodes.Status405MethodNotAllowed, MediaTypes.Json,
                    TransportError.Result(TransportError.MethodNotAllowed, "A mutation cannot run over GET: use POST."));
                return;
            }
            await eventStreams.RunAsync(http, prepared);
            return;
        }
        switch (prepared)
        {
            case PreparedOperation.Unparseable { Result: var errors }:
                await WriteAsync(http, StatusFor(errors, mediaType), mediaType, errors);
                return;
            case PreparedOperation.Parsed { Type: OperationType.Mutation or OperationType.Subscription } parsed when isGet:
                http.Response.Headers.Allow = "POST";
                await WriteAsync(http, StatusCodes.Status405MethodNotAllowed, mediaType, TransportError.Result(TransportError.MethodNotAllowed,
                    parsed.Type == OperationType.Mutation
                        ? "A mutation cannot run over GET: use POST."
                        : "A subscription cannot run over GET: subscribe over a WebSocket (graphql-transport-ws) at this path."));
                return;
            case PreparedOperation.Parsed { Type: OperationType.Subscription }:
                var refusal = TransportError.Result(TransportError.SubscriptionOverHttp,
                    "Subscriptions are served over a WebSocket (graphql-transport-ws) or Server-Sent Events (Accept: text/event-stream) at this path.");
                await WriteAsync(http, StatusFor(refusal, mediaType), mediaType, refusal);
                return;
            case PreparedOperation.Parsed parsed:
                var context = new GraphQLUserContext(http, http.User, http.TraceIdentifier);
                var result = await executor.ExecuteAsync(
                    schemaType, schemaOf(http.RequestServices), parsed, context, http.RequestServices, http.RequestAborted);
                await WriteAsync(http, StatusFor(result, mediaType), mediaType, result);
                return;
        }
    }

    /// <summary>The POST body as a request, or null once a 413/415 has been answered.</summary>
    private async Task<RequestRead?> ReadBodyAsync(HttpContext http, string mediaType)
    {
        RequestBody body;
        try
        {
            body = await RequestBody.ReadAsync(http.Request, options.MaxRequestBodyBytes, json, http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = new RequestBody.TooLarge(options.MaxRequestBodyBytes); // Kestrel's own limit, if set lower than ours.
        }
        catch (BadHttpRequestException)
        {
            return new RequestRead.Malformed("The request body could not be read.");
        }

        switch (body)
        {
            case RequestBody.Read { Request: var read }:
                return read;
            case RequestBody.TooLarge { Limit: var limit }:
                await WriteAsync(http, StatusCodes.Status413PayloadTooLarge, mediaType,
                    TransportError.Result(TransportError.PayloadTooLarge, $"The request body is larger than {limit} bytes."));
                return null;
            default:
                await WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, mediaType, TransportError.Result(TransportError.UnsupportedMediaType,
                    $"A POST body must be {MediaTypes.Json} in UTF-8 (Content-Type: {MediaTypes.WithCharset(MediaTypes.Json)})."));
                return null;
        }
    }

    /// <summary>The spec's status for a GraphQL response: its <c>data</c> entry (written only once execution ran) decides.</summary>
    internal static int StatusFor(ExecutionResult result, string mediaType) =>
        result.Executed ? StatusCodes.Status200OK
        : result.Errors?.OfType<InternalError>().FirstOrDefault() is { } failure
            ? failure.Code == InternalError.UnavailableCode ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError
        : mediaType == MediaTypes.Json ? StatusCodes.Status200OK
        : StatusCodes.Status400BadRequest;

    private async Task WriteAsync(HttpContext http, int status, string mediaType, ExecutionResult result)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(result, json.Options);
        http.Response.StatusCode = status;
        http.Response.ContentType = MediaTypes.WithCharset(mediaType);
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }
}
