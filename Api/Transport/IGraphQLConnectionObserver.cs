using System.Security.Claims;

namespace CartGraph.Api.Transport;

/// <summary>Sees acknowledged WebSocket connections open and close: the place to count or cap them (per tenant, say).
/// Resolved from the request's services when registered.</summary>
public interface IGraphQLConnectionObserver
{
    /// <summary>
    /// Called after authorization, before <c>connection_ack</c>; false refuses the connection as over capacity
    /// (close 1013 Try Again Later, "Too many connections").
    /// </summary>
    ValueTask<bool> OnOpenedAsync(GraphQLConnectionInfo connection, CancellationToken cancel);

    /// <summary>Called exactly once for each connection that <see cref="OnOpenedAsync"/> admitted, however it ends.</summary>
    ValueTask OnClosedAsync(GraphQLConnectionInfo connection);
}

/// <summary>An acknowledged WebSocket connection: its id (as in the logs), its upgrade request, whom it acts for.</summary>
public sealed record GraphQLConnectionInfo(string Id, HttpContext HttpContext, ClaimsPrincipal User);
