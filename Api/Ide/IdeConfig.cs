using System.Text.Json;

namespace CartGraph.Api.Ide;

/// <summary>Banana Cake Pop's <c>bcp-config.json</c>: the preset the app fetches from beside its index.html when it starts.</summary>
internal sealed record IdeConfig(
    string Endpoint, bool UseBrowserUrlAsEndpoint, string SubscriptionProtocol, bool DisableTelemetry, IReadOnlyDictionary<string, string> HttpHeaders)
{
    /// <summary>The app's own name for graphql-transport-ws; its others are <c>auto</c>, <c>graphql-ws</c> (Apollo's) and <c>graphql-sse</c>.</summary>
    public const string GraphQLTransportWs = "graphql-transport-ws";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <remarks>The endpoint is a path the app resolves against the page's own URL (<c>useBrowserUrlAsEndpoint</c>), and the
    /// WebSocket URL from that: right behind any proxy or port mapping, with no trust in the Host header.</remarks>
    public static IdeConfig For(HttpContext http, string graphQLPath, IdeHttpHeaders headers) => new(
        Endpoint: http.Request.PathBase.Add(graphQLPath).Value!,
        UseBrowserUrlAsEndpoint: true,
        SubscriptionProtocol: GraphQLTransportWs,
        DisableTelemetry: true,
        HttpHeaders: headers(http));
}
