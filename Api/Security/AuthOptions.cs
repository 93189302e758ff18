namespace CartGraph.Api.Security;

/// <summary>How bearer tokens are checked: configuration section <c>Auth</c>.</summary>
public sealed record AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The key tokens are signed with (HMAC-SHA256): base64 of at least 32 bytes. Or set <see cref="Authority"/>.</summary>
    public string? SigningKey { get; init; }

    /// <summary>An OpenID Connect authority that issues the tokens instead (its keys are fetched from it).</summary>
    public string? Authority { get; init; }

    public string Issuer { get; init; } = "cartgraph";

    public string Audience { get; init; } = "cartgraph-api";

    /// <summary>The claim that lists the tenants a token may act for (one claim value per tenant, or a JSON array).</summary>
    public string TenantClaim { get; init; } = "tenants";

    public static AuthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AuthOptions>() ?? new AuthOptions();
}
