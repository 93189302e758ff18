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

    /// <summary>The context of the operation a resolver runs in.</summary>
    public static GraphQLUserContext Of(IResolveFieldContext context) =>
        context.UserContext as GraphQLUserContext
        ?? throw new InvalidOperationException("The operation did not come through the GraphQL transports.");
}
