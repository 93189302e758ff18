using System.Security.Claims;
using System.Text.Json;

namespace CartGraph.Api.Transport;

/// <summary>Decides a WebSocket connection from its <c>connection_init</c> payload (null when absent).</summary>
public delegate ValueTask<ConnectionInitResult> AuthorizeConnection(HttpContext http, JsonElement? payload, CancellationToken cancel);

/// <summary>Whom a WebSocket connection acts for, or why it may not go on.</summary>
public abstract record ConnectionInitResult
{
    private ConnectionInitResult() { }

    /// <summary>Every operation of the connection runs as <paramref name="User"/>; <paramref name="AckPayload"/> goes in <c>connection_ack</c>.</summary>
    public sealed record Accepted(ClaimsPrincipal User, IReadOnlyDictionary<string, object?>? AckPayload = null) : ConnectionInitResult;

    /// <summary>The socket is closed with 4403 Forbidden; the reason is logged, never sent.</summary>
    public sealed record Refused(string Reason) : ConnectionInitResult;
}
