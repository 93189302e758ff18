using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// Emmett's PostgreSQL event store, for any aggregate: appends with optimistic concurrency, stream reads,
/// the consumers' read in commit order, and archiving. It owns <c>emt_streams</c> and <c>emt_messages</c>, whose
/// tenants' tables its statements name (<see cref="TenantTables"/>).
/// </summary>
public sealed partial class EventStore(
    PostgresDatabase database,
    TenantPartitions tenants,
    ILogger<EventStore>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<EventStore>.Instance;

    /// <summary>Raised after every committed append, outside its transaction: wakes consumers without slowing writers.</summary>
    public event Action<Domain.Values.TenantId>? Appended;

    private const string MessageColumns =
        "stream_id, stream_position, global_position, transaction_id, message_type, message_data::text, " +
        "message_metadata::text, message_id, message_schema_version, created";

    /// <summary>
    /// Reads through the tenant's own tables: a tenant without any reads as <paramref name="none"/>, and tables dropped
    /// since they were looked up (the tenant was dropped, perhaps imported again) are looked up once more.
    /// </summary>
    private async Task<T> WithTablesAsync<T>(TenantId tenant, T none, Func<TenantTables, Task<T>> read, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await tenants.TablesAsync(tenant, ct) is not { } tables) return none;
            try
            {
                return await read(tables);
            }
            catch (Npgsql.PostgresException e) when (TenantTables.AreGone(e) && attempt == 1)
            {
                tenants.Forget(tenant);
            }
        }
    }

    private static RecordedMessage ReadMessage(Npgsql.NpgsqlDataReader reader) => new(
        StreamId: reader.GetString(0),
        StreamPosition: reader.GetInt64(1),
        GlobalPosition: reader.GetInt64(2),
        TransactionId: reader.GetFieldValue<ulong>(3),
        MessageType: reader.GetString(4),
        Data: reader.GetString(5),
        Metadata: reader.GetString(6),
        MessageId: reader.GetString(7),
        SchemaVersion: reader.GetString(8),
        Created: reader.GetFieldValue<DateTimeOffset>(9));
}
