using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CartGraph.Infrastructure.ReadModels;

namespace CartGraph.Api.GraphQL.Types;

/// <summary>
/// Opaque keyset cursors of the carts connection, base64url-encoded: the cart id in cart id order (as always), else the
/// sort value and the cart id, marked with their order, so that a cursor of one order is refused in another.
/// </summary>
public static class CartCursor
{
    public static string Of(CartOrder order, CartPosition position) => Encode(order switch
    {
        CartOrder.UpdatedAtDesc => $"u:{position.UpdatedAt!.Value.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{position.CartId}",
        CartOrder.TotalDesc => $"t:{position.Total?.ToString(CultureInfo.InvariantCulture) ?? ""}:{position.CartId}",
        _ => position.CartId,
    });

    /// <summary>The position in a cursor this connection made for that order; null for anything else.</summary>
    public static CartPosition? Parse(CartOrder order, string cursor)
    {
        try
        {
            var text = StrictUtf8.GetString(Base64Url.DecodeFromChars(cursor));
            var position = order == CartOrder.CartId ? new CartPosition(text) : Split(order, text);
            return position is not null && Domain.Values.CartId.Create(position.CartId).IsSuccess && Of(order, position) == cursor ? position : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    private static CartPosition? Split(CartOrder order, string text)
    {
        var parts = text.Split(':', 3);
        if (parts.Length != 3) return null;
        return (order, parts[0]) switch
        {
            (CartOrder.UpdatedAtDesc, "u") => new CartPosition(parts[2],
                UpdatedAt: new DateTimeOffset(long.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero)),
            (CartOrder.TotalDesc, "t") => new CartPosition(parts[2], Total: decimal.Parse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture)),
            _ => null,
        };
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
