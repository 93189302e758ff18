using CartGraph.Api.Security;
using CartGraph.Domain.Values;
using Microsoft.IdentityModel.Tokens;

namespace CartGraph.Benchmarks.Suites;

/// <summary>The run's signing key, for the API a suite starts, and bearer tokens signed with it.</summary>
internal static class BenchAuth
{
    public static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static string TokenFor(params string[] tenants) =>
        new Tokens(new AuthOptions(), new SymmetricSecurityKey(Convert.FromBase64String(SigningKey)))
            .Issue(tenants.Select(TenantId.Parse), TimeSpan.FromHours(4), subject: "benchmark");
}
