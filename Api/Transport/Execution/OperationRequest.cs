using GraphQL;

namespace CartGraph.Api.Transport.Execution;

/// <summary>A well-formed GraphQL request, whatever carried it: how it gives its document, and its optional parameters.</summary>
internal sealed record OperationRequest(RequestedDocument Document, string? OperationName, Inputs? Variables, Inputs? Extensions);

/// <summary>How a request gives its document.</summary>
internal abstract record RequestedDocument
{
    private RequestedDocument() { }

    /// <summary>The document's text, in <c>query</c>.</summary>
    public sealed record Text(string Query) : RequestedDocument;

    /// <summary>A persisted document's id, in <c>documentId</c> (GraphQL over HTTP, appendix A).</summary>
    public sealed record ById(string DocumentId) : RequestedDocument;

    /// <summary>
    /// An automatic persisted query (Apollo's <c>extensions.persistedQuery</c>): the lower-case hex SHA-256 of the text,
    /// alone once the server knows it, or with the text (checked against it) to make it known.
    /// </summary>
    public sealed record ByHash(string Sha256, string? Query) : RequestedDocument;
}

/// <summary>A transport's request read into an <see cref="OperationRequest"/>, or why it is not well-formed.</summary>
internal abstract record RequestRead
{
    private RequestRead() { }

    public sealed record WellFormed(OperationRequest Request) : RequestRead;

    public sealed record Malformed(string Reason) : RequestRead;
}
