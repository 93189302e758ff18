using System.Net.WebSockets;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>Accepts WebSocket upgrades at the GraphQL path for the <c>graphql-transport-ws</c> subprotocol.</summary>
internal sealed class GraphQLWebSocketEndpoint(WebSocketSettings settings)
{
    public const string SubProtocol = "graphql-transport-ws";

    public async Task HandleAsync(HttpContext http)
    {
        var options = settings.Options;
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal))
        {
            // As graphql-ws's server does: accept without a subprotocol, then close 4406 so the client learns why.
            using var refused = await http.WebSockets.AcceptWebSocketAsync();
            using var timeout = new CancellationTokenSource(options.CloseTimeout);
            try
            {
                await refused.CloseAsync(CloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
            {
                // The client left without answering the close.
            }
            return;
        }

        // Keep-alive comes from the WebSocket middleware's options (GraphQLTransportRegistration), set from the same options.
        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        await new GraphQLWebSocketConnection(socket, http, settings).RunAsync();
    }
}
