using GraphQL;
using GraphQLParser.AST;

namespace CartGraph.Api.GraphQL.Transport.Execution;

/// <summary>A request whose document is parsed (and its operation type known when the document names it), or the
/// syntax error (or size limit) that stops it before validation.</summary>
internal abstract record PreparedOperation
{
    private PreparedOperation() { }

    /// <param name="Validated">The document came from the cache, so it already passed the spec's validation rules.</param>
    /// <param name="Operation">The operation to run; null when it cannot be told (none, ambiguous, unknown name): execution reports that.</param>
    public sealed record Parsed(OperationRequest Request, GraphQLDocument Document, bool Validated, GraphQLOperationDefinition? Operation) : PreparedOperation
    {
        public OperationType? Type => Operation?.Operation;
    }

    public sealed record Unparseable(ExecutionResult Result) : PreparedOperation;
}
