using GraphQL;
using GraphQLParser.AST;

namespace CartGraph.Api.Transport.Execution;

/// <summary>A request whose document is found and parsed (and its operation type known when the document names it), or
/// what stops it before validation: an unknown persisted document, a syntax error, a size limit, an untrusted document.</summary>
internal abstract record PreparedOperation
{
    private PreparedOperation() { }

    /// <param name="Query">The document's text: the request's, or the persisted one it named.</param>
    /// <param name="Validated">The document came from the cache, so it already passed the spec's validation rules.</param>
    /// <param name="Operation">The operation to run; null when it cannot be told (none, ambiguous, unknown name): execution reports that.</param>
    /// <param name="PersistAs">The hash to keep the text under as an automatic persisted query once it passed validation.</param>
    public sealed record Parsed(
        OperationRequest Request, string Query, GraphQLDocument Document, bool Validated, GraphQLOperationDefinition? Operation, string? PersistAs = null)
        : PreparedOperation
    {
        public OperationType? Type => Operation?.Operation;
    }

    public sealed record Unparseable(ExecutionResult Result) : PreparedOperation;
}
