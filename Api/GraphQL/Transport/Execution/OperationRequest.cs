using GraphQL;

namespace CartGraph.Api.GraphQL.Transport.Execution;

/// <summary>A well-formed GraphQL request, whatever carried it: the document text and its optional parameters.</summary>
internal sealed record OperationRequest(string Query, string? OperationName, Inputs? Variables, Inputs? Extensions);

/// <summary>A transport's request read into an <see cref="OperationRequest"/>, or why it is not well-formed.</summary>
internal abstract record RequestRead
{
    private RequestRead() { }

    public sealed record WellFormed(OperationRequest Request) : RequestRead;

    public sealed record Malformed(string Reason) : RequestRead;
}
