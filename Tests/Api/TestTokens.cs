using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CartGraph.Api.Security;
using CartGraph.Domain.Values;
using Microsoft.IdentityModel.Tokens;

namespace CartGraph.Tests.Api;

/// <summary>
/// Tokens as a real client holds them: signed with the key every test server of this run is configured with,
/// naming the tenants the client acts for.
/// </summary>
public static class TestTokens
{
    /// <summary>The key of every test server (configuration <c>Auth:SigningKey</c>); new for each run.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static readonly AuthOptions Options = new();

    private static readonly Tokens Issuer = new(Options, new SymmetricSecurityKey(Convert.FromBase64String(SigningKey)));

    public static string For(params string[] tenants) => ForSubject("test-client", tenants);

    /// <summary>A token of a given subject, e.g. the one the Development IDE carries.</summary>
    public static string ForSubject(string subject, params string[] tenants) =>
        Issuer.Issue(tenants.Select(TenantId.Parse), TimeSpan.FromHours(1), subject);

    /// <summary>
    /// An HTTP client whose every request carries a token naming exactly the tenants its GraphQL variables name
    /// (none for a request without any): each spec acts for its own tenants as a real client would.
    /// </summary>
    public static HttpClient ClientFor(Uri baseAddress) =>
        new(new TenantTokenHandler { InnerHandler = new HttpClientHandler() }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private sealed class TenantTokenHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization is null)
            {
                var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
                var tenants = TenantsIn(body).Concat(TenantsIn(Uri.UnescapeDataString(request.RequestUri?.Query ?? ""))).Distinct().ToArray();
                request.Headers.Authorization = new("Bearer", For(tenants));
            }
            return await base.SendAsync(request, cancellationToken);
        }

        /// <summary>Every valid tenant id a <c>tenantId</c> property holds anywhere in the JSON text.</summary>
        private static IEnumerable<string> TenantsIn(string text)
        {
            var start = text.IndexOf('{');
            if (start < 0) return [];
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text[start..]);
            }
            catch (System.Text.Json.JsonException)
            {
                return [];
            }
            return Walk(json).Where(t => TenantId.Create(t).IsSuccess);
        }

        private static IEnumerable<string> Walk(JsonNode? node) => node switch
        {
            JsonObject obj => obj.SelectMany(p => p.Key == "tenantId" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? [s] : Walk(p.Value)),
            JsonArray array => array.SelectMany(Walk),
            _ => [],
        };
    }
}
