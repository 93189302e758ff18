using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Tests.Integration.Projections;

namespace CartGraph.Tests.Integration.Tenants;

/// <summary>A tenant's rows in every table, to compare before and after, and a tenant with a bit of everything.</summary>
internal static class TenantRows
{
    /// <summary>Streams, messages in commit order (without the store-assigned positions and ids), and cart rows.</summary>
    public static async Task<List<string>> ContentAsync(StoreDatabase db, TenantId tenant) =>
    [
        .. (await db.RowsAsync("""
            SELECT stream_id, stream_type, stream_position, stream_metadata::text, is_archived FROM emt_streams
             WHERE partition = $1 ORDER BY stream_id, is_archived
            """, tenant.Value)).Select(Line),
        .. (await db.RowsAsync("""
            SELECT stream_id, stream_position, message_id, message_type, message_schema_version, message_kind,
                   message_data::text, message_metadata::text, created, is_archived
              FROM emt_messages WHERE partition = $1 ORDER BY transaction_id, global_position
            """, tenant.Value)).Select(Line),
        .. (await db.RowsAsync("""
            SELECT cart_id, status, currency, items_json::text, cancellation_reason, version, created_at, updated_at
              FROM carts WHERE tenant_id = $1 ORDER BY cart_id
            """, tenant.Value)).Select(Line),
    ];

    /// <summary>Every row a tenant has anywhere, store-assigned columns included: what nobody else may touch.</summary>
    public static async Task<List<string>> EverythingAsync(StoreDatabase db, TenantId tenant) =>
    [
        .. (await db.RowsAsync("SELECT * FROM emt_streams WHERE partition = $1 ORDER BY stream_id, is_archived", tenant.Value)).Select(Line),
        .. (await db.RowsAsync("SELECT * FROM emt_messages WHERE partition = $1 ORDER BY global_position", tenant.Value)).Select(Line),
        .. (await db.RowsAsync("SELECT * FROM emt_subscriptions WHERE partition = $1 ORDER BY subscription_id", tenant.Value)).Select(Line),
        .. (await db.RowsAsync("SELECT * FROM carts WHERE tenant_id = $1 ORDER BY cart_id", tenant.Value)).Select(Line),
    ];

    /// <summary>The relations whose name carries the tenant's id: its partitions, their leaves and indexes.</summary>
    public static async Task<List<string>> TablesAsync(StoreDatabase db, TenantId tenant) =>
        (await db.RowsAsync("SELECT relname::text FROM pg_class WHERE relname LIKE '%' || $1 || '%' ORDER BY 1", tenant.Value))
        .Select(r => (string)r[0]!).ToList();

    /// <summary>
    /// Carts checked out, cancelled, still open and archived, and a stream that is no cart with metadata of its own,
    /// projected to the end.
    /// </summary>
    public static async Task FillAsync(StoreDatabase db, TenantId tenant, int carts = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(carts, 4);
        for (var c = 0; c < carts; c++)
        {
            var cart = $"cart-{c}";
            await Carts.HandleAsync(db, tenant, cart, Carts.Create(tenant, cart, c % 2 == 0 ? "USD" : "EUR"));
            await Carts.HandleAsync(db, tenant, cart, Carts.Add(tenant, cart, "A", c + 1, 2.5m));
            await Carts.HandleAsync(db, tenant, cart, Carts.Add(tenant, cart, "B", 1, 10));
        }
        await Carts.HandleAsync(db, tenant, "cart-0", CartCommands.CheckOutCart(tenant.Value, "cart-0", "order-0", null));
        await Carts.HandleAsync(db, tenant, "cart-1", CartCommands.CancelCart(tenant.Value, "cart-1", "changed my mind"));
        await Carts.HandleAsync(db, tenant, "cart-2", CartCommands.RemoveItemFromCart(tenant.Value, "cart-2", "A", 1));
        await db.Store.AppendAsync(tenant, "note-1", "note", [new NewMessage("Noted", """{"text": "ünïcode ✓"}""", SchemaVersion: "2")],
            ExpectedVersion.NoStream, new MessageContext("correlation-1", "causation-1"));
        await Carts.Processor(db, tenant).CatchUpAsync();
        (await new StreamArchiver(db.Store, [Carts.Projection]).ArchiveAsync(tenant, "cart-3"))
            .IfLeft(e => throw new InvalidOperationException(e.ToString()));
    }

    private static string Line(object?[] row) =>
        string.Join(" | ", row.Select(v => v switch
        {
            DateTime t => t.ToString("O"),
            DateTimeOffset t => t.ToString("O"),
            _ => v?.ToString() ?? "null",
        }));
}
