using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using GraphQL;

namespace CartGraph.Api.Carts;

/// <summary>
/// An event's place in its tenant's commit order as clients hold it: opaque text (base64url of tenant, transaction id
/// and global position), so that a cursor of another tenant is told apart, not silently read in the wrong order.
/// </summary>
public static class EventCursor
{
    public const string InvalidCode = "INVALID_CURSOR";
    public const string OtherTenantCode = "CURSOR_OF_ANOTHER_TENANT";

    public static string Encode(TenantId tenant, ConsumerCursor position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{tenant.Value}:{position.TransactionId}:{position.GlobalPosition}")));

    /// <summary>The position <paramref name="text"/> names in <paramref name="tenant"/>'s order; a GraphQL error with a
    /// code when it is no cursor (<see cref="InvalidCode"/>) or one of another tenant (<see cref="OtherTenantCode"/>).</summary>
    public static ConsumerCursor Decode(TenantId tenant, string text)
    {
        var parts = Decoded(text)?.Split(':');
        if (parts is not [var owner, var transaction, var position]
            || !ulong.TryParse(transaction, NumberStyles.None, CultureInfo.InvariantCulture, out var transactionId)
            || !long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var globalPosition)
            || TenantId.Create(owner).IsFail)
            throw new ExecutionError("The cursor is not one this service gave: pass the cursor of an event as it was received.") { Code = InvalidCode };
        if (owner != tenant.Value)
            throw new ExecutionError($"The cursor belongs to another tenant than '{tenant}'.") { Code = OtherTenantCode };
        return new ConsumerCursor(transactionId, globalPosition);
    }

    private static string? Decoded(string text)
    {
        if (text.Length is 0 or > 200) return null;
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
