using CartGraph.Api.GraphQL.Transport.Execution;
using GraphQL;

namespace CartGraph.Api.GraphQL.Transport.Persisted;

/// <summary>A request's document, found.</summary>
/// <param name="Trusted">It is one of the trusted documents (only worked out while they alone are served).</param>
/// <param name="PersistAs">The hash to keep the text under once it has passed validation (an automatic persisted query sent with its text).</param>
internal sealed record FoundDocument(string Query, bool Trusted, string? PersistAs);

/// <summary>Finds the text of a request's document: given, among the trusted documents, or among the automatic persisted queries.</summary>
internal sealed class DocumentLookup(PersistedQueryStore persistedQueries, GraphQLTransportOptions options)
{
    /// <summary>Apollo's client and server speak these exact words (message and code) to ask for the text.</summary>
    public const string NotFoundMessage = "PersistedQueryNotFound";
    public const string NotSupportedMessage = "PersistedQueryNotSupported";

    TrustedDocuments Trusted => options.TrustedDocuments;

    /// <summary>The document, or the response (a request error) saying why there is none.</summary>
    public (FoundDocument? Found, ExecutionResult? Missing) Find(RequestedDocument document)
    {
        switch (document)
        {
            case RequestedDocument.Text { Query: var query }:
                return (new FoundDocument(query, Trusted.Only && Trusted.ContainsSha256(DocumentIds.Sha256Hex(query)), null), null);
            case RequestedDocument.ById { DocumentId: var id }:
                return Trusted.Documents.TryGetValue(id, out var trusted)
                    ? (new FoundDocument(trusted, true, null), null)
                    : (null, TransportError.Result(TransportError.PersistedDocumentNotFound, $"No persisted document has the id '{id}'."));
            case RequestedDocument.ByHash { Sha256: var hash, Query: { } query }:
                // The text came with its hash (checked against it when the request was read): it is kept once it has passed validation.
                return (new FoundDocument(query, Trusted.ContainsSha256(hash), persistedQueries.Enabled ? hash : null), null);
            case RequestedDocument.ByHash { Sha256: var hash }:
                if (Trusted.Documents.TryGetValue(DocumentIds.Sha256Prefix + hash, out var known)) return (new FoundDocument(known, true, null), null);
                if (!persistedQueries.Enabled) return (null, TransportError.Result(TransportError.PersistedQueryNotSupported, NotSupportedMessage));
                return persistedQueries.Find(hash) is { } stored
                    ? (new FoundDocument(stored, false, null), null)
                    : (null, TransportError.Result(TransportError.PersistedQueryNotFound, NotFoundMessage));
            default:
                throw new InvalidOperationException($"Unknown kind of document: {document.GetType().Name}");
        }
    }
}
