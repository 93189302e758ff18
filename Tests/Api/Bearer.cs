using CartGraph.Tests.Api.Transport;

namespace CartGraph.Tests.Api;

/// <summary>
/// Clients holding one fixed Authorization value, as a real client does: unlike <see cref="TestTokens.ClientFor"/>,
/// the token does not follow the tenants a request names, so a request can ask for a tenant its token does not name.
/// </summary>
public static class Bearer
{
    /// <summary>An HTTP client that sends <paramref name="authorization"/> as it is (none when null), well-formed or not.</summary>
    public static HttpClient Client(Uri baseAddress, string? authorization)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (authorization is not null) http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        return http;
    }

    /// <summary>An HTTP client with a valid token naming exactly <paramref name="tenants"/>.</summary>
    public static HttpClient For(Uri baseAddress, params string[] tenants) => Client(baseAddress, Header(tenants));

    public static string Header(params string[] tenants) => $"Bearer {TestTokens.For(tenants)}";

    /// <summary>The graphql-transport-ws endpoint of an instance.</summary>
    public static Uri WebSocketOf(Uri baseAddress) => new UriBuilder(new Uri(baseAddress, "/graphql")) { Scheme = "ws" }.Uri;

    /// <summary>A socket acknowledged with a valid token naming exactly <paramref name="tenants"/>.</summary>
    public static Task<GraphQLSocket> SocketFor(Uri baseAddress, params string[] tenants) =>
        GraphQLSocket.ConnectAndInitAsync(WebSocketOf(baseAddress), new { authorization = Header(tenants) });
}
