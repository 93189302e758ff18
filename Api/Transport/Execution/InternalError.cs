using GraphQL;

namespace CartGraph.Api.Transport.Execution;

/// <summary>What a client sees of an unexpected failure: a fixed message with the correlation id to quote, code
/// INTERNAL_ERROR (or SERVICE_UNAVAILABLE when a dependency is down: worth a retry), and nothing of the exception (no
/// inner exception, so no type-derived codes either).</summary>
internal sealed class InternalError : ExecutionError
{
    public const string ErrorCode = "INTERNAL_ERROR";
    public const string UnavailableCode = "SERVICE_UNAVAILABLE";

    public InternalError(string correlationId)
        : this(ErrorCode, $"An unexpected error occurred. Correlation id: {correlationId}.", correlationId)
    {
    }

    private InternalError(string code, string message, string correlationId)
        : base(message)
    {
        Code = code;
        Extensions = new() { ["correlationId"] = correlationId };
    }

    public static InternalError Unavailable(string correlationId) =>
        new(UnavailableCode, $"The service is unavailable for a moment; try again. Correlation id: {correlationId}.", correlationId);
}
