using System.Security.Claims;
using GraphQL;

namespace CartGraph.Api.Transport;

/// <summary>What a resolver knows of its caller: the HTTP request (or WebSocket upgrade), the principal, and the
/// correlation id that the logs and any unexpected-error message carry.</summary>
public sealed class GraphQLUserContext : Dictionary<string, object?>
{
    public GraphQLUserContext(HttpContext httpContext, ClaimsPrincipal user, string correlationId)
    {
        HttpContext = httpContext;
        User = user;
        CorrelationId = correlationId;
    }

    public HttpContext HttpContext { get; }

    /// <summary>Whom the operation acts for: <c>HttpContext.User</c>, or the principal a WebSocket's connection_init gave.</summary>
    public ClaimsPrincipal User { get; }

    public string CorrelationId { get; }

    /// <summary>The <c>Last-Event-ID</c> of a GraphQL-over-SSE request: the id of the last result the client received
    /// before it reconnected (see <see cref="GraphQLTransportOptions.EventIdOf"/>); null on other transports.</summary>
    public string? LastEventId { get; init; }

    /// <summary>The context of the operation a resolver runs in.</summary>
    public static GraphQLUserContext Of(IResolveFieldContext context) =>
        context.UserContext as GraphQLUserContext
        ?? throw new InvalidOperationException("The operation did not come through the GraphQL transports.");
}
