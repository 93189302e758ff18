using CartGraph.Api.Transport.Execution;
using GraphQL;

namespace CartGraph.Api.Transport.Persisted;

/// <summary>A request's document, found, or the response (a request error) that says why there is none.</summary>
internal abstract record LookedUp
{
    private LookedUp() { }

    /// <param name="Trusted">It is one of the trusted documents (only worked out while they alone are served).</param>
    /// <param name="PersistAs">The hash to keep the text under once it has passed validation (an automatic persisted query sent with its text).</param>
    public sealed record Found(string Query, bool Trusted, string? PersistAs = null) : LookedUp;

    public sealed record Missing(ExecutionResult Result) : LookedUp;
}

/// <summary>Finds the text of a request's document: given, among the trusted documents, or among the automatic persisted queries.</summary>
internal sealed class DocumentLookup(PersistedQueryStore persistedQueries, GraphQLTransportOptions options)
{
    /// <summary>Apollo's client and server speak these exact words (message and code) to ask for the text.</summary>
    public const string NotFoundMessage = "PersistedQueryNotFound";
    public const string NotSupportedMessage = "PersistedQueryNotSupported";

    private TrustedDocuments Trusted => options.TrustedDocuments;

    public LookedUp Find(RequestedDocument document) => document switch
    {
        RequestedDocument.Text { Query: var query } =>
            new LookedUp.Found(query, Trusted.Only && Trusted.ContainsSha256(DocumentIds.Sha256Hex(query))),
        RequestedDocument.ById { DocumentId: var id } => Trusted.Documents.TryGetValue(id, out var trusted)
            ? new LookedUp.Found(trusted, Trusted: true)
            : Missing(TransportError.PersistedDocumentNotFound, $"No persisted document has the id '{id}'."),
        // The text came with its hash (checked against it when the request was read): it is kept once it has passed validation.
        RequestedDocument.ByHash { Sha256: var hash, Query: { } query } =>
            new LookedUp.Found(query, Trusted.ContainsSha256(hash), persistedQueries.Enabled ? hash : null),
        RequestedDocument.ByHash { Sha256: var hash } => ByHash(hash),
        _ => throw new InvalidOperationException($"Unknown kind of document: {document.GetType().Name}"),
    };

    private LookedUp ByHash(string hash) =>
        Trusted.Documents.TryGetValue(DocumentIds.Sha256Prefix + hash, out var trusted) ? new LookedUp.Found(trusted, Trusted: true)
        : !persistedQueries.Enabled ? Missing(TransportError.PersistedQueryNotSupported, NotSupportedMessage)
        : persistedQueries.Find(hash) is { } stored ? new LookedUp.Found(stored, Trusted: false)
        : Missing(TransportError.PersistedQueryNotFound, NotFoundMessage);

    private static LookedUp.Missing Missing(string code, string message) => new(TransportError.Result(code, message));
}
