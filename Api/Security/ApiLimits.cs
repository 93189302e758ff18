namespace CartGraph.Api.Security;

/// <summary>What one request, one socket or one tenant may ask of the service: configuration section <c>Limits</c>.</summary>
public sealed record ApiLimits
{
    public const string Section = "Limits";

    /// <summary>Deepest selection set a document may nest; deeper is a validation error.</summary>
    public int MaxQueryDepth { get; init; } = 12;

    /// <summary>
    /// Largest estimated cost of a document (fields, lists multiplied by their page size); more is a validation error.
    /// The largest shipped operation, a page of 100 carts with every field (Api/Operations/Carts.graphql), costs about 11 300.
    /// </summary>
    public int MaxQueryComplexity { get; init; } = 25_000;

    /// <summary>
    /// Fields, fragment spreads and inline fragments one document may hold, as written; more is refused before validation
    /// (DOCUMENT_TOO_LARGE), whose cost grows faster than the document. The largest shipped operation holds about 60, an
    /// IDE's introspection query about 80. Fragments spread within fragments are bounded by <see cref="MaxQueryDepth"/>.
    /// </summary>
    public int MaxSelections { get; init; } = 200;

    /// <summary>Largest HTTP request body, in bytes (413 above); also the largest WebSocket message (close 1009).</summary>
    public int MaxRequestBytes { get; init; } = 64 * 1024;

    /// <summary>Operations one WebSocket connection may start in its lifetime.</summary>
    public long MaxOperationsPerConnection { get; init; } = 100_000;

    /// <summary>Operations active at once on one WebSocket connection.</summary>
    public int MaxSubscriptionsPerConnection { get; init; } = 100;

    /// <summary>Open WebSocket connections per tenant on one instance; more are closed 1013 (try again later).</summary>
    public int MaxConnectionsPerTenant { get; init; } = 500;

    /// <summary>Mutations per second per tenant, sustained (a token bucket refilled about every 100 ms, or one mutation at a time below 10 per second).</summary>
    public int MutationsPerSecondPerTenant { get; init; } = 1_000;

    /// <summary>Mutations a tenant may send in a burst above the sustained rate.</summary>
    public int MutationBurstPerTenant { get; init; } = 2_000;

    /// <summary>How long one operation may run before it is answered with a TIMEOUT error.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public static ApiLimits From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ApiLimits>() ?? new ApiLimits();
}
