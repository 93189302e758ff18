using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.ReadModels;

/// <summary>The orders a list of carts comes in; each ends with the cart id, so that every cart has one place.</summary>
public enum CartOrder
{
    CartId,
    UpdatedAtDesc,
    TotalDesc,
}

/// <summary>Where a keyset page starts: after this cart, in that order (its sort value with it).</summary>
public sealed record CartPosition(string CartId, DateTimeOffset? UpdatedAt = null, decimal? Total = null);

/// <summary>
/// Keyset pages of a tenant's carts (of the version served), in an order with the cart id last: a page starts after a
/// position, not at an offset, so pages stay stable while carts change. The orders by update and by total read the
/// columns of version 2 of the read model, with their indexes.
/// </summary>
public static class CartPages
{
    /// <summary>The version of the read model that has what <paramref name="order"/> sorts by.</summary>
    public static int NeedsVersion(CartOrder order) => order == CartOrder.TotalDesc ? 2 : 1;

    /// <summary>
    /// A page in <paramref name="order"/>: <c>$1</c> the tenant, <c>$2</c> the cart id after which it starts (with <c>$5</c>
    /// the update time, <c>$6</c> the total of that cart for those orders), <c>$3</c> a status or null, <c>$4</c> the size.
    /// </summary>
    internal static string PageSql(CartOrder order)
    {
        var (keyset, orderBy) = order switch
        {
            CartOrder.UpdatedAtDesc => ("($5::timestamptz IS NULL OR updated_at < $5 OR (updated_at = $5 AND cart_id > $2))", "updated_at DESC, cart_id"),
            CartOrder.TotalDesc => ("($6::numeric IS NULL OR total < $6 OR (total = $6 AND cart_id > $2))", "total DESC, cart_id"),
            _ => ("cart_id > $2", "cart_id"),
        };
        return $"""
            SELECT {CartsTable.Columns}, total FROM carts
             WHERE {CartsTable.Served} AND {keyset} AND ($3::text IS NULL OR status = $3)
             ORDER BY {orderBy}
             LIMIT $4
            """;
    }

    /// <summary>
    /// The carts after <paramref name="after"/>, of one status when given. Asks for one more than
    /// <paramref name="first"/> so the caller knows whether more follow.
    /// </summary>
    public static async Task<IReadOnlyList<(CartView Cart, CartPosition Position)>> PageAsync(
        NpgsqlDataSource dataSource, TenantId tenant, CartOrder order, CartPosition? after, int first, CartStatus? status, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(PageSql(order));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after?.CartId ?? "" });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = status is { } wanted ? CartRows.StatusName(wanted) : DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text,
        });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = first + 1 });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = after?.UpdatedAt is { } updated ? updated : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = after?.Total is { } afterTotal ? afterTotal : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric,
        });
        var page = new List<(CartView, CartPosition)>(first + 1);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var cart = CartsTable.Read(reader, tenant);
            var total = reader.IsDBNull(8) ? (decimal?)null : reader.GetDecimal(8);
            page.Add((cart, order switch
            {
                CartOrder.UpdatedAtDesc => new CartPosition(cart.CartId, UpdatedAt: reader.GetFieldValue<DateTimeOffset>(7)),
                CartOrder.TotalDesc => new CartPosition(cart.CartId, Total: total),
                _ => new CartPosition(cart.CartId),
            }));
        }
        return page;
    }
}
