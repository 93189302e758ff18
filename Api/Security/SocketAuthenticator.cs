using System.Text.Json;
using CartGraph.Api.Transport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CartGraph.Api.Security;

/// <summary>
/// Authenticates a WebSocket from its <c>connection_init</c> payload, <c>{"authorization": "Bearer &lt;token&gt;"}</c>,
/// with exactly the bearer scheme's own validation (browsers cannot send headers on a WebSocket).
/// A missing or invalid token refuses the socket (close 4403).
/// </summary>
public sealed class SocketAuthenticator(IOptionsMonitor<JwtBearerOptions> bearer)
{
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    public async ValueTask<ConnectionInitResult> AuthorizeAsync(HttpContext http, JsonElement? payload, CancellationToken cancel)
    {
        var token = Tokens.FromAuthorization(Authorization(payload));
        if (token is null) return new ConnectionInitResult.Refused("no bearer token in connection_init");

        var options = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = options.TokenValidationParameters.Clone();
        if (options.ConfigurationManager is { } authority)
        {
            var configuration = await authority.GetConfigurationAsync(cancel);
            parameters.IssuerSigningKeys = configuration.SigningKeys;
            parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
        }
        var result = await handler.ValidateTokenAsync(token, parameters);
        return result.IsValid
            ? new ConnectionInitResult.Accepted(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity))
            : new ConnectionInitResult.Refused($"invalid bearer token: {result.Exception?.GetType().Name}");
    }

    /// <summary>The <c>authorization</c> entry of the payload, whatever its case (some clients send their HTTP headers as they are).</summary>
    private static string? Authorization(JsonElement? payload) =>
        payload is { ValueKind: JsonValueKind.Object } p
            ? p.EnumerateObject().FirstOrDefault(e => string.Equals(e.Name, "authorization", StringComparison.OrdinalIgnoreCase)) is
                { Value.ValueKind: JsonValueKind.String } entry ? entry.Value.GetString() : null
            : null;
}
