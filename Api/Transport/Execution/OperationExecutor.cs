using System.Security.Claims;
using CartGraph.Api.Transport.Persisted;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace CartGraph.Api.Transport.Execution;

/// <summary>What both transports do with a well-formed request: find its document (given, persisted or trusted), admit
/// it (trusted documents only?), parse it (once per query text, through the cache), then execute it with the caller's
/// user, services and cancellation, never letting an exception's details out.</summary>
internal sealed class OperationExecutor(
    GraphQLTransportOptions options, DocumentCache cache, DocumentLookup documents, PersistedQueryStore persistedQueries, ILogger<OperationExecutor> logger)
{
    private static readonly GraphQLDocumentBuilder Parser = new();

    /// <summary>Spans named after the operation, e.g. <c>graphql mutation AddItemToCart</c>.</summary>
    public static readonly System.Diagnostics.ActivitySource Telemetry = new("CartGraph.GraphQL");
    private static readonly DocumentExecuter DefaultExecuter = new();

    /// <summary>The spec's rules (graphql-js's bound on introspection among them) and the options' own, for a document not
    /// validated before.</summary>
    private readonly IValidationRule[] allRules = [.. DocumentValidator.CoreRules, IntrospectionDepthRule.Instance, .. options.ValidationRules];

    private DocumentBudget Budget => new(options.MaxDocumentSelections, options.MaxFragmentNesting);

    private DocumentBudget IntrospectionBudget => new(options.MaxIntrospectionSelections, options.MaxIntrospectionFragmentNesting);

    /// <summary>The operation's span, named and tagged only when something listens.</summary>
    private static System.Diagnostics.Activity? StartSpan(PreparedOperation.Parsed operation, GraphQLUserContext context)
    {
        if (!Telemetry.HasListeners()) return null;
        var type = operation.Type switch
        {
            OperationType.Query => "query",
            OperationType.Mutation => "mutation",
            OperationType.Subscription => "subscription",
            _ => null,
        };
        var name = operation.Operation?.Name?.StringValue ?? operation.Request.OperationName;
        var activity = Telemetry.StartActivity(name is null ? $"graphql {type ?? "operation"}" : $"graphql {type ?? "operation"} {name}");
        activity?.SetTag("graphql.operation.name", name);
        activity?.SetTag("graphql.operation.type", type);
        activity?.SetTag("cartgraph.correlation_id", context.CorrelationId);
        return activity;
    }

    /// <param name="user">Whom the operation acts for: trusted documents may let some callers run any document.</param>
    public PreparedOperation Prepare(Type schemaType, OperationRequest request, ClaimsPrincipal user)
    {
        LookedUp.Found found;
        switch (documents.Find(request.Document))
        {
            case LookedUp.Missing { Result: var missing }:
                return new PreparedOperation.Unparseable(missing);
            case LookedUp.Found given:
                found = given;
                break;
            default:
                throw new InvalidOperationException("A document is either found or missing.");
        }
        var trusted = options.TrustedDocuments;
        if (trusted.RefusesUnparsed(found.Trusted, user)) return new PreparedOperation.Unparseable(Untrusted);
        var parsed = Parse(schemaType, request, found);
        return parsed is PreparedOperation.Parsed { Document: var document, Operation: var operation }
            && trusted.Refuses(found.Trusted, user, document, operation)
            ? new PreparedOperation.Unparseable(Untrusted)
            : parsed;
    }

    static ExecutionResult Untrusted => TransportError.Result(TransportError.TrustedDocumentsOnly,
        "This endpoint runs trusted documents only: send the \"documentId\" of one (or its text, exactly as the manifest holds it).");

    private PreparedOperation Parse(Type schemaType, OperationRequest request, LookedUp.Found found)
    {
        var query = found.Query;
        if (cache.Find(schemaType, query) is { } cached)
            return new PreparedOperation.Parsed(request, query, cached, Validated: true, Selected(cached, request.OperationName), found.PersistAs);
        GraphQLDocument document;
        try
        {
            document = Parser.Build(query);
        }
        catch (SyntaxError error)
        {
            return new PreparedOperation.Unparseable(new ExecutionResult(error));
        }
        catch (GraphQLMaxDepthExceededException)
        {
            return new PreparedOperation.Unparseable(TransportError.Result(TransportError.DocumentTooDeep, "The document is nested too deeply to parse."));
        }
        catch (IndexOutOfRangeException)
        {
            // GraphQL-Parser fails while quoting the source for its syntax error after a lone '\r' line break, e.g. "{\r}".
            return new PreparedOperation.Unparseable(TransportError.Result(TransportError.SyntaxError, "The document is not valid GraphQL."));
        }
        return DocumentScreen.Refusal(document, Budget, IntrospectionBudget) is { } refusal
            ? new PreparedOperation.Unparseable(refusal)
            : new PreparedOperation.Parsed(request, query, document, Validated: false, Selected(document, request.OperationName), found.PersistAs);
    }

    /// <remarks>Throws <see cref="OperationCanceledException"/> when <paramref name="cancel"/> fires.</remarks>
    public async Task<ExecutionResult> ExecuteAsync(
        Type schemaType, ISchema schema, PreparedOperation.Parsed operation, GraphQLUserContext context, IServiceProvider services, CancellationToken cancel)
    {
        var request = operation.Request;
        using var activity = StartSpan(operation, context);
        var execution = new ExecutionOptions
        {
            Schema = schema,
            Query = operation.Query,
            Document = operation.Document,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            UserContext = context,
            User = context.User,
            RequestServices = services,
            CancellationToken = cancel,
            ThrowOnUnhandledException = false,
            UnhandledExceptionDelegate = HideUnexpected(context.CorrelationId),
            // A cached document passed the spec's rules already; variables are still coerced and checked on every run.
            ValidationRules = operation.Validated ? options.ValidationRules : allRules,
            CachedDocumentValidationRules = options.ValidationRules,
        };
        options.ConfigureExecution?.Invoke(execution, context);

        var executer = services.GetService<IDocumentExecuter>() ?? DefaultExecuter;
        var result = await executer.ExecuteAsync(execution);
        if (result.Executed && !operation.Validated)
            cache.Add(schemaType, operation.Query, operation.Document);
        if (result.Executed && operation.PersistAs is { } hash)
            persistedQueries.Add(hash, operation.Query); // validated: a hash never names a document that fails validation
        if (result.Errors is { Count: > 0 } errors)
            activity?.SetTag("graphql.errors", string.Join(",", errors.Select(e => e.Code).Distinct()));
        if (!result.Executed && result.Errors is { Count: > MaxRequestErrors } many)
            result.Errors = FirstOf(many);
        return result;
    }

    /// <summary>
    /// Errors a request error lists at most, as graphql-js's validation does: a small document can conflict with itself
    /// in tens of thousands of ways (every pair of fields that cannot merge), megabytes that help nobody.
    /// </summary>
    public const int MaxRequestErrors = 100;

    private static ExecutionErrors FirstOf(ExecutionErrors errors)
    {
        var first = new ExecutionErrors();
        foreach (var error in errors.Take(MaxRequestErrors)) first.Add(error);
        first.Add(TransportError.Of(TransportError.TooManyErrors, $"{errors.Count - MaxRequestErrors} more errors are not shown."));
        return first;
    }

    /// <summary>
    /// Logs an unexpected exception under the correlation id and puts <see cref="InternalError"/> in its place, or
    /// <see cref="InternalError.Unavailable"/> when the options tell it is a dependency being down.
    /// </summary>
    public ExecutionError Hide(Exception exception, string correlationId, string? field = null)
    {
        if (options.IsUnavailable(exception))
        {
            logger.LogWarning(exception, "GraphQL operation {CorrelationId} (field {Field}) failed: a dependency is unavailable", correlationId, field ?? "-");
            return InternalError.Unavailable(correlationId);
        }
        logger.LogError(exception, "Unexpected error in GraphQL operation {CorrelationId} (field {Field})", correlationId, field ?? "-");
        return new InternalError(correlationId);
    }

    private Func<UnhandledExceptionContext, Task> HideUnexpected(string correlationId) => context =>
    {
        // A subscription's source stream that fails with an ExecutionError means it for the client, as a resolver would.
        if (context.OriginalException is ExecutionError meant)
        {
            context.Exception = meant;
            return Task.CompletedTask;
        }
        context.Exception = Hide(context.OriginalException, correlationId, context.FieldContext?.FieldDefinition?.Name);
        return Task.CompletedTask;
    };

    /// <summary>The operation the request names, or the document's only one when it names none, found as the spec's
    /// GetOperation() finds it; null when there is none to run (execution reports why).</summary>
    private static GraphQLOperationDefinition? Selected(GraphQLDocument document, string? operationName)
    {
        GraphQLOperationDefinition? only = null;
        foreach (var definition in document.Definitions)
        {
            if (definition is not GraphQLOperationDefinition operation) continue;
            if (operationName is not null)
            {
                if (operation.Name is { } name && name == operationName) return operation;
            }
            else if (only is not null)
                return null;
            else
                only = operation;
        }
        return operationName is null ? only : null;
    }
}
