using System.Text.Json;
using CartGraph.Api.Ide;
using CartGraph.Api.Security;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CartGraph.Api.Board;

/// <summary>
/// <c>/board/config.json</c> in Development: the <c>Authorization</c> value the IDE's hook gives (the demo token) and
/// the tenants that token names, so the board starts on a tenant it may read.
/// </summary>
internal sealed record BoardConfig(string Authorization, IReadOnlyList<string> Tenants)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The <c>Authorization</c> the IDE's config carries (the hooks combined as for the IDE); null when none.</summary>
    public static BoardConfig? From(HttpContext http, IdeHttpHeaders headers, AuthOptions auth) =>
        headers(http).TryGetValue("Authorization", out var authorization)
            ? new BoardConfig(authorization, TenantsOf(Tokens.FromAuthorization(authorization), auth))
            : null;

    /// <summary>Read, not validated: the server checks the token on every request; this only picks a tenant to show.</summary>
    private static string[] TenantsOf(string? token, AuthOptions auth)
    {
        var handler = new JsonWebTokenHandler();
        if (token is null || !handler.CanReadToken(token)) return [];
        return [.. handler.ReadJsonWebToken(token).Claims.Where(c => c.Type == auth.TenantClaim).Select(c => c.Value).Distinct()];
    }
}
