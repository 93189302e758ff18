using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CartGraph.Tests.Api.Security;

/// <summary>Authorization values that must not authenticate anyone, each made as an attacker or a broken client would.</summary>
public static class ForgedTokens
{
    public static readonly string[] Kinds =
    [
        "expired", "not yet valid", "without expiry", "unsigned (alg none)", "signature stripped", "signed with another key",
        "tenants changed after signing", "wrong issuer", "wrong audience", "garbage", "truncated", "empty bearer",
        "another scheme", "token without scheme",
    ];

    /// <summary>The Authorization value of <paramref name="kind"/>, naming <paramref name="tenant"/> where it carries claims.</summary>
    public static string Authorization(string kind, string tenant)
    {
        var now = DateTime.UtcNow;
        return kind switch
        {
            // Past the validator's 30 s clock skew, both ways.
            "expired" => Bearer(Signed(tenant, d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddHours(-2), now.AddHours(-2), now.AddMinutes(-5)))),
            "not yet valid" => Bearer(Signed(tenant, d => (d.NotBefore, d.Expires) = (now.AddMinutes(10), now.AddHours(1)))),
            "without expiry" => Bearer(Signed(tenant, d => d.Expires = null)),
            "unsigned (alg none)" => Bearer($"{Segment("""{"alg":"none","typ":"JWT"}""")}.{PayloadOf(Signed(tenant))}."),
            "signature stripped" => Bearer(Signed(tenant)[..(Signed(tenant).LastIndexOf('.') + 1)]),
            "signed with another key" => Bearer(Signed(tenant, d => d.SigningCredentials = Hmac(RandomNumberGenerator.GetBytes(32)))),
            "tenants changed after signing" => Bearer(Resigned(Signed("sec-token-other"), PayloadOf(Signed(tenant)))),
            "wrong issuer" => Bearer(Signed(tenant, d => d.Issuer = "someone-else")),
            "wrong audience" => Bearer(Signed(tenant, d => d.Audience = "another-api")),
            "garbage" => Bearer("garbage"),
            "truncated" => Bearer(Signed(tenant)[..^6]),
            "empty bearer" => "Bearer ",
            "another scheme" => $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{tenant}:secret"))}",
            "token without scheme" => Signed(tenant),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static string Bearer(string token) => $"Bearer {token}";

    /// <summary>A token as the server issues them (right key, issuer, audience, lifetime), then changed by <paramref name="tweak"/>.</summary>
    private static string Signed(string tenant, Action<SecurityTokenDescriptor>? tweak = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Options.Issuer,
            Audience = TestTokens.Options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "forger", [TestTokens.Options.TenantClaim] = new[] { tenant } },
            SigningCredentials = Hmac(Convert.FromBase64String(TestTokens.SigningKey)),
        };
        tweak?.Invoke(descriptor);
        // No default lifetime added behind our back: "without expiry" must really have none.
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static SigningCredentials Hmac(byte[] key) => new(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256);

    private static string PayloadOf(string token) => token.Split('.')[1];

    /// <summary>Another payload under a genuine token's header and signature.</summary>
    private static string Resigned(string genuine, string payload)
    {
        var parts = genuine.Split('.');
        return $"{parts[0]}.{payload}.{parts[2]}";
    }

    private static string Segment(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
