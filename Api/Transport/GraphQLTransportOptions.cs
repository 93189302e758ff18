using CartGraph.Api.Transport.Persisted;
using GraphQL;
using GraphQL.Validation;

namespace CartGraph.Api.Transport;

/// <summary>Limits and hooks of the GraphQL transports (HTTP, Server-Sent Events and graphql-transport-ws); every limit has a safe default.</summary>
/// <remarks>A record: configure with <c>options =&gt; options with { ... }</c>.</remarks>
public sealed record GraphQLTransportOptions
{
    /// <summary>Largest HTTP request body read; a larger one is answered 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Parsed documents kept per schema, least recently used evicted first; 0 turns the cache off.</summary>
    public int DocumentCacheEntries { get; init; } = 1_000;

    /// <summary>
    /// Bytes of automatic persisted queries (Apollo's <c>extensions.persistedQuery</c>) kept by this instance, hashes and
    /// texts, least recently used evicted first; 0 turns them off (a hash alone is then answered PERSISTED_QUERY_NOT_SUPPORTED).
    /// </summary>
    public long PersistedQueryBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Documents a client may name by id (GraphQL over HTTP's persisted documents), and whether they alone are served.</summary>
    public TrustedDocuments TrustedDocuments { get; init; } = TrustedDocuments.None;

    /// <summary>
    /// Fields, fragment spreads and inline fragments a document may hold; more is refused before validation with
    /// DOCUMENT_TOO_LARGE (validating costs more than linear time in them).
    /// </summary>
    public int MaxDocumentSelections { get; init; } = 500;

    /// <summary>How deep fragments may be spread within fragments; deeper is refused before validation with DOCUMENT_TOO_DEEP.</summary>
    public int MaxFragmentNesting { get; init; } = 16;

    /// <summary>
    /// Selections a document's introspection (under <c>__schema</c> and <c>__type</c>, and fragments on <c>__</c> types) may
    /// hold, counted apart from <see cref="MaxDocumentSelections"/>: graphql-js's introspection query with every option on
    /// has 81, Banana Cake Pop's fewer. Introspection is bounded besides by graphql-js's rule on nested type lists.
    /// </summary>
    public int MaxIntrospectionSelections { get; init; } = 500;

    /// <summary>How deep fragments on <c>__</c> types may be spread within fragments, apart from <see cref="MaxFragmentNesting"/>
    /// (graphql-js's introspection query spreads three deep).</summary>
    public int MaxIntrospectionFragmentNesting { get; init; } = 16;

    /// <summary>Rules run on every operation besides the spec's (depth, complexity), cached document or not.</summary>
    public IReadOnlyList<IValidationRule> ValidationRules { get; init; } = [];

    /// <summary>The last word on each operation's execution options (listeners, timeouts), HTTP and WebSocket alike.</summary>
    public Action<ExecutionOptions, GraphQLUserContext>? ConfigureExecution { get; init; }

    /// <summary>
    /// Tells an unexpected failure that is a dependency being unavailable (a database restarting): the client then gets
    /// SERVICE_UNAVAILABLE, worth a retry, instead of INTERNAL_ERROR; both carry the correlation id and nothing else.
    /// </summary>
    public Func<Exception, bool> IsUnavailable { get; init; } = _ => false;

    /// <summary>Serves a browser's GET (one preferring <c>text/html</c>), e.g. an IDE; when null such a GET is answered as GraphQL.</summary>
    public Func<HttpContext, Task>? ServeIde { get; init; }

    /// <summary>
    /// Whether an HTTP operation needs an authenticated user (set by the app's authentication middleware); without one
    /// it is answered 401 with <c>WWW-Authenticate: Bearer</c>. Sockets authenticate in <see cref="AuthorizeConnection"/>.
    /// </summary>
    public bool RequireAuthenticatedUser { get; init; }

    /// <summary>How long a socket may wait before sending <c>connection_init</c>; then it is closed 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Decides a socket from its <c>connection_init</c> payload; when null the upgrade request's user is used.</summary>
    public AuthorizeConnection? AuthorizeConnection { get; init; }

    /// <summary>Largest WebSocket message read; a larger one closes the socket with 1009.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Operations (every <c>subscribe</c>: subscriptions, queries, mutations) active at once on one socket; more get an <c>error</c>.</summary>
    public int MaxConcurrentSubscriptionsPerConnection { get; init; } = 100;

    /// <summary>Operations one socket may start in its lifetime; more get an <c>error</c>.</summary>
    public long MaxOperationsPerConnection { get; init; } = long.MaxValue;

    /// <summary>Messages waiting to be sent on one socket or event stream; a client that falls further behind is closed with
    /// 1013 (a stream ends without complete).</summary>
    public int MaxQueuedMessagesPerConnection { get; init; } = 1_000;

    /// <summary>Interval of WebSocket ping frames (sent by ASP.NET Core, not protocol <c>ping</c> messages).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping frame may go unanswered before the socket is dropped; infinite turns the check off.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The id of a result sent over Server-Sent Events (<c>id:</c>), e.g. the position of the event it carries; a client
    /// reconnecting sends the last one back as <c>Last-Event-ID</c>, which resolvers find in
    /// <see cref="GraphQLUserContext.LastEventId"/>. When null, or when it returns null, results carry no id.
    /// </summary>
    public Func<ExecutionResult, string?>? EventIdOf { get; init; }

    /// <summary>How long a Server-Sent Events stream may stay silent before a comment line (<c>:</c>) is sent to keep it open.</summary>
    public TimeSpan EventStreamKeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the server waits for the client's close frame (or a stuck send) before dropping the socket.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
