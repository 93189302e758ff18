using CartGraph.Domain.Values;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CartGraph.Api.Security;

/// <summary>Bearer tokens naming the tenants their holder may act for: issued by the token verb, checked on every request
/// (by the HTTP bearer scheme and the WebSocket handshake, with <see cref="ValidationParameters"/>).</summary>
public sealed class Tokens(AuthOptions options, SymmetricSecurityKey? key)
{
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    /// <summary>What a token must satisfy; shared by the HTTP bearer scheme and the WebSocket handshake.</summary>
    public TokenValidationParameters ValidationParameters { get; } = new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = key is not null,
        IssuerSigningKey = key,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
    };

    public string Issue(IEnumerable<TenantId> tenants, TimeSpan lifetime, string subject = "cartgraph")
    {
        if (key is null) throw new InvalidOperationException("Tokens are issued by the configured Auth:Authority, not here.");
        var now = DateTime.UtcNow;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                [options.TenantClaim] = tenants.Select(t => t.Value).Distinct().ToArray(),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The token of an <c>Authorization</c> value: <c>Bearer &lt;token&gt;</c>.</summary>
    public static string? FromAuthorization(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
}
