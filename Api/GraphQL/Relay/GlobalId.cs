using System.Buffers.Text;
using System.Text;
using CartGraph.Domain.Values;

namespace CartGraph.Api.GraphQL.Relay;

/// <summary>
/// Relay's global object ids: opaque to clients, unique across the API. Ours carry the type, the tenant and the object's
/// own id, <c>Cart:&lt;tenant&gt;:&lt;cartId&gt;</c>, in base64url (URL-safe, for GET requests), so resolving one needs
/// no lookup table and a tenant's access is checked before anything is read.
/// </summary>
public static class GlobalId
{
    public const string CartType = "Cart";

    /// <summary>What a well-formed id names.</summary>
    public sealed record Named(string Type, TenantId Tenant, string Id);

    public static string Of(string type, TenantId tenant, string id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{type}:{tenant.Value}:{id}"));

    /// <summary>What the id names, or null when it is not an id of this API.</summary>
    public static Named? Parse(string id)
    {
        if (id.Length is 0 or > 512 || !Base64Url.IsValid(id)) return null;
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(id));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
        // The tenant holds no ':' (a-z, 0-9, '-', '_'); the object's own id may.
        var parts = text.Split(':', 3);
        if (parts.Length != 3 || parts[0] != CartType) return null;
        return TenantId.Create(parts[1]).Match(tenant => CartId.Create(parts[2]).Match(
            cart => new Named(parts[0], tenant, cart.Value), _ => (Named?)null), _ => null);
    }
}
