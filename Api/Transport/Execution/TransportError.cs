using GraphQL;

namespace CartGraph.Api.Transport.Execution;

/// <summary>A request error raised by a transport rather than by GraphQL (bad JSON, a limit), with its code.</summary>
internal static class TransportError
{
    public const string BadRequest = "BAD_REQUEST";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string NotAcceptable = "NOT_ACCEPTABLE";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string SubscriptionOverHttp = "SUBSCRIPTION_REQUIRES_WEBSOCKET";
    public const string DocumentTooDeep = "DOCUMENT_TOO_DEEP";
    public const string DocumentTooLarge = "DOCUMENT_TOO_LARGE";
    public const string SyntaxError = "SYNTAX_ERROR";
    public const string TooManyErrors = "TOO_MANY_ERRORS";
    public const string TooManyActiveOperations = "TOO_MANY_ACTIVE_OPERATIONS";
    public const string OperationLimitReached = "OPERATION_LIMIT_REACHED";
    public const string TooManyConnections = "TOO_MANY_CONNECTIONS";
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string PersistedQueryNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";
    public const string PersistedDocumentNotFound = "PERSISTED_DOCUMENT_NOT_FOUND";
    public const string TrustedDocumentsOnly = "TRUSTED_DOCUMENTS_ONLY";

    public static ExecutionError Of(string code, string message) => new(message) { Code = code };

    /// <summary>A response with errors only: no <c>data</c> entry, since nothing was executed.</summary>
    public static ExecutionResult Result(string code, string message) => new(Of(code, message));
}
