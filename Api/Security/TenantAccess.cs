using System.Security.Claims;
using CartGraph.Domain.Values;

namespace CartGraph.Api.Security;

/// <summary>Which tenants a caller may act for: the one place every query, mutation and subscription asks.</summary>
public sealed class TenantAccess
{
    public bool Allows(ClaimsPrincipal user, TenantId tenant) => true;
}
