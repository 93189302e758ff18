using System.Security.Claims;
using CartGraph.Domain.Values;

namespace CartGraph.Api.Security;

/// <summary>Which tenants a caller may act for: the one place every query, mutation and subscription asks.</summary>
public sealed class TenantAccess(AuthOptions options)
{
    public bool Allows(ClaimsPrincipal user, TenantId tenant) =>
        user.Identity?.IsAuthenticated == true && user.HasClaim(options.TenantClaim, tenant.Value);

    /// <summary>The tenants a caller's token names.</summary>
    public IReadOnlySet<string> Tenants(ClaimsPrincipal user) =>
        user.FindAll(options.TenantClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}
