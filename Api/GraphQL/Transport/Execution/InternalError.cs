using GraphQL;

namespace CartGraph.Api.GraphQL.Transport.Execution;

/// <summary>What a client sees of an unexpected failure: a fixed message with the correlation id to quote, code
/// INTERNAL_ERROR, and nothing of the exception (no inner exception, so no type-derived codes either).</summary>
internal sealed class InternalError : ExecutionError
{
    public const string ErrorCode = "INTERNAL_ERROR";

    public InternalError(string correlationId)
        : base($"An unexpected error occurred. Correlation id: {correlationId}.")
    {
        Code = ErrorCode;
        Extensions = new() { ["correlationId"] = correlationId };
    }
}
