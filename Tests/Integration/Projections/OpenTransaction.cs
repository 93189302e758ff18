using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using Npgsql;
using NpgsqlTypes;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// A writer that holds a transaction open as an application does around its append (an outbox row first, an inline
/// projection...), and appends cart events with Emmett's <c>emt_append_to_stream</c>, as Emmett's Node client does.
/// </summary>
internal sealed class OpenTransaction : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly TenantId tenant;

    private OpenTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant) =>
        (this.connection, this.transaction, this.tenant) = (connection, transaction, tenant);

    public bool IsOpen { get; private set; } = true;

    public static async Task<OpenTransaction> BeginAsync(StoreDatabase db, TenantId tenant)
    {
        var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        return new OpenTransaction(connection, await connection.BeginTransactionAsync(), tenant);
    }

    /// <summary>Takes the transaction's id now, before anything is appended (as a first write of anything would).</summary>
    public async Task<ulong> TakeTransactionIdAsync()
    {
        await using var command = new NpgsqlCommand("SELECT pg_current_xact_id()::text", connection, transaction);
        return ulong.Parse((string)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>The cart's position as this transaction sees it (its own appends included), 0 when none.</summary>
    public async Task<long> PositionAsync(string cartId)
    {
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(max(stream_position), 0) FROM emt_streams WHERE partition = $1 AND stream_id = $2 AND is_archived = FALSE",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cartId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Appends one cart event; <paramref name="expected"/> null appends after whatever position the cart is at.</summary>
    public Task<long> AppendAsync(string cartId, CartEvent @event, long? expected = null) =>
        AppendAsync(cartId, CartEventJson.TypeOf(@event), CartEventJson.Serialize(@event), expected);

    /// <summary>Appends a message as another writer of the database may store it, well-formed or not.</summary>
    public async Task<long> AppendAsync(string cartId, string type, string json, long? expected = null, string schemaVersion = "1")
    {
        await using var command = new NpgsqlCommand("""
            SELECT success, next_stream_position FROM emt_append_to_stream(
                ARRAY[gen_random_uuid()::text], ARRAY[$1::jsonb], ARRAY['{}'::jsonb], ARRAY[$6], ARRAY[$2], ARRAY['E'],
                $3, 'cart', $4, $5)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = json });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cartId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)expected ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schemaVersion });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (!reader.GetBoolean(0)) throw new InvalidOperationException($"the append to {cartId} at {expected?.ToString() ?? "any"} was refused");
        return reader.GetInt64(1);
    }

    /// <summary>One message appended in a transaction of its own.</summary>
    public static async Task<long> AppendAloneAsync(StoreDatabase db, TenantId tenant, string cartId, string type, string json, string schemaVersion = "1")
    {
        await using var alone = await BeginAsync(db, tenant);
        var position = await alone.AppendAsync(cartId, type, json, schemaVersion: schemaVersion);
        await alone.CommitAsync();
        return position;
    }

    public async Task CommitAsync()
    {
        await transaction.CommitAsync();
        IsOpen = false;
    }

    public async Task RollbackAsync()
    {
        await transaction.RollbackAsync();
        IsOpen = false;
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
