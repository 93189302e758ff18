using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>A message its projection could not apply; its stream waits behind it (<c>parked list</c> shows one a line).</summary>
public sealed record ParkedMessage(
    string Projection,
    string Tenant,
    string StreamId,
    long StreamPosition,
    long GlobalPosition,
    string MessageType,
    string Error,
    DateTimeOffset FirstAttempt,
    DateTimeOffset LastAttempt,
    int Attempts);

/// <summary>
/// The one module that owns <c>cartgraph_parked_messages</c>: per projection and tenant, the stream positions a
/// projection could not apply (at most one waiting per stream), and the operators' decisions to pass over one
/// (<c>skipped_at</c>), kept for the record. Statements come as batch commands, sent with the processor's own.
/// </summary>
public static class ParkedMessages
{
    private const string Key = "projection = $1 AND projection_version = $2 AND tenant_id = $3";

    private const string Columns =
        "projection, tenant_id, stream_id, stream_position, global_position, message_type, error, first_attempt, last_attempt, attempts";

    /// <summary>Which of these streams wait behind a parked message, and at which position (read with <see cref="ReadWaitingAsync"/>).</summary>
    public static NpgsqlBatchCommand WaitingAmong(IProjection projection, TenantId tenant, IReadOnlyCollection<string> streamIds) =>
        Keyed($"SELECT stream_id, stream_position FROM cartgraph_parked_messages WHERE {Key} AND skipped_at IS NULL AND stream_id = ANY($4)",
            projection, tenant, new NpgsqlParameter<string[]> { TypedValue = streamIds.ToArray() });

    public static async Task<Dictionary<string, long>> ReadWaitingAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var waiting = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct)) waiting[reader.GetString(0)] = reader.GetInt64(1);
        return waiting;
    }

    /// <summary>
    /// Parks a stream at a message (another attempt at the same one counts up; a stream parked elsewhere moves here).
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> Park(IProjection projection, TenantId tenant, RecordedMessage message, string error)
    {
        yield return Keyed($"DELETE FROM cartgraph_parked_messages WHERE {Key} AND stream_id = $4 AND skipped_at IS NULL AND stream_position <> $5",
            projection, tenant, new NpgsqlParameter<string> { TypedValue = message.StreamId }, new NpgsqlParameter<long> { TypedValue = message.StreamPosition });
        yield return Keyed("""
            INSERT INTO cartgraph_parked_messages AS p (projection, projection_version, tenant_id, stream_id, stream_position,
                                                        global_position, message_id, message_type, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (projection, projection_version, tenant_id, stream_id, stream_position) DO UPDATE
               SET error = excluded.error, last_attempt = now(), attempts = p.attempts + 1
             WHERE p.skipped_at IS NULL
            """, projection, tenant,
            new NpgsqlParameter<string> { TypedValue = message.StreamId },
            new NpgsqlParameter<long> { TypedValue = message.StreamPosition },
            new NpgsqlParameter<long> { TypedValue = message.GlobalPosition },
            new NpgsqlParameter<string> { TypedValue = message.MessageId },
            new NpgsqlParameter<string> { TypedValue = message.MessageType },
            new NpgsqlParameter<string> { TypedValue = error });
    }

    /// <summary>The stream no longer waits: its parked message was applied, or passed over, or the stream archived.</summary>
    public static NpgsqlBatchCommand Release(IProjection projection, TenantId tenant, string streamId) =>
        Keyed($"DELETE FROM cartgraph_parked_messages WHERE {Key} AND stream_id = $4 AND skipped_at IS NULL",
            projection, tenant, new NpgsqlParameter<string> { TypedValue = streamId });

    /// <summary>No stream of the tenant waits any more (a rebuild replays them all); the decisions to skip are kept.</summary>
    public static NpgsqlBatchCommand ReleaseAll(IProjection projection, TenantId tenant) =>
        Keyed($"DELETE FROM cartgraph_parked_messages WHERE {Key} AND skipped_at IS NULL", projection, tenant);

    /// <summary>A version built again starts with no entry but the operator's decisions to skip, carried from the version served.</summary>
    public static IEnumerable<NpgsqlBatchCommand> StartVersion(IProjection building, TenantId tenant, int served) =>
    [
        ForgetVersion(building, tenant),
        Keyed($"""
            INSERT INTO cartgraph_parked_messages
                  (projection, projection_version, tenant_id, stream_id, stream_position, global_position, message_id, message_type,
                   error, first_attempt, last_attempt, attempts, skipped_at, skipped_by)
            SELECT projection, $2, tenant_id, stream_id, stream_position, global_position, message_id, message_type,
                   error, first_attempt, last_attempt, attempts, skipped_at, skipped_by
              FROM cartgraph_parked_messages
             WHERE projection = $1 AND projection_version = $4 AND tenant_id = $3 AND skipped_at IS NOT NULL
            """, building, tenant, new NpgsqlParameter<int> { TypedValue = served }),
    ];

    /// <summary>Every entry of a version no longer served.</summary>
    public static NpgsqlBatchCommand ForgetVersion(IProjection projection, TenantId tenant) =>
        Keyed($"DELETE FROM cartgraph_parked_messages WHERE {Key}", projection, tenant);

    /// <summary>Every entry of the tenant, whatever the projection, skips included: the tenant is erased.</summary>
    public static async Task ForgetTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM cartgraph_parked_messages WHERE tenant_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>How many of the tenant's streams wait (read it as a scalar).</summary>
    public static NpgsqlBatchCommand CountWaiting(IProjection projection, TenantId tenant) =>
        Keyed($"SELECT count(*) FROM cartgraph_parked_messages WHERE {Key} AND skipped_at IS NULL", projection, tenant);

    /// <summary>Records an operator's decision to pass over the message a stream waits at; false when it waits elsewhere (or not at all).</summary>
    public static async Task<bool> SkipAsync(
        NpgsqlConnection connection, IProjection projection, TenantId tenant, string streamId, long position, string decidedBy, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Keyed($"""
                    UPDATE cartgraph_parked_messages SET skipped_at = now(), skipped_by = $6
                     WHERE {Key} AND stream_id = $4 AND stream_position = $5 AND skipped_at IS NULL
                    """, projection, tenant,
                    new NpgsqlParameter<string> { TypedValue = streamId },
                    new NpgsqlParameter<long> { TypedValue = position },
                    new NpgsqlParameter<string> { TypedValue = decidedBy }),
            },
        };
        return await batch.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Whether an operator decided to pass over this very message (a rebuild meets it again).</summary>
    public static async Task<bool> WasSkippedAsync(
        NpgsqlConnection connection, IProjection projection, TenantId tenant, RecordedMessage message, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Keyed($"""
                    SELECT EXISTS (SELECT 1 FROM cartgraph_parked_messages
                                    WHERE {Key} AND stream_id = $4 AND stream_position = $5 AND message_id = $6 AND skipped_at IS NOT NULL)
                    """, projection, tenant,
                    new NpgsqlParameter<string> { TypedValue = message.StreamId },
                    new NpgsqlParameter<long> { TypedValue = message.StreamPosition },
                    new NpgsqlParameter<string> { TypedValue = message.MessageId }),
            },
        };
        return await batch.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>The message one stream waits at, if any.</summary>
    public static async Task<ParkedMessage?> WaitingAsync(
        NpgsqlConnection connection, IProjection projection, TenantId tenant, string streamId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Keyed($"SELECT {Columns} FROM cartgraph_parked_messages WHERE {Key} AND stream_id = $4 AND skipped_at IS NULL",
                    projection, tenant, new NpgsqlParameter<string> { TypedValue = streamId }),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Every waiting stream, oldest first, of one tenant or all; at most <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<ParkedMessage>> ListAsync(
        NpgsqlDataSource dataSource, TenantId? tenant, int limit = int.MaxValue, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM cartgraph_parked_messages
             WHERE skipped_at IS NULL AND ($1::text IS NULL OR tenant_id = $1)
             ORDER BY first_attempt, tenant_id, stream_id
             LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)tenant?.Value ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var parked = new List<ParkedMessage>();
        while (await reader.ReadAsync(ct)) parked.Add(Read(reader));
        return parked;
    }

    /// <summary>How many streams wait, in every tenant, and the <paramref name="limit"/> that wait longest: one round trip.</summary>
    public static async Task<(long Count, IReadOnlyList<ParkedMessage> Oldest)> SummaryAsync(
        NpgsqlDataSource dataSource, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns}, count(*) OVER () FROM cartgraph_parked_messages
             WHERE skipped_at IS NULL
             ORDER BY first_attempt, tenant_id, stream_id
             LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var (count, oldest) = (0L, new List<ParkedMessage>());
        while (await reader.ReadAsync(ct))
        {
            oldest.Add(Read(reader));
            count = reader.GetInt64(10);
        }
        return (count, oldest);
    }

    private static ParkedMessage Read(NpgsqlDataReader reader) => new(
        Projection: reader.GetString(0),
        Tenant: reader.GetString(1),
        StreamId: reader.GetString(2),
        StreamPosition: reader.GetInt64(3),
        GlobalPosition: reader.GetInt64(4),
        MessageType: reader.GetString(5),
        Error: reader.GetString(6),
        FirstAttempt: reader.GetFieldValue<DateTimeOffset>(7),
        LastAttempt: reader.GetFieldValue<DateTimeOffset>(8),
        Attempts: reader.GetInt32(9));

    private static NpgsqlBatchCommand Keyed(string sql, IProjection projection, TenantId tenant, params NpgsqlParameter[] more)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        foreach (var parameter in more) command.Parameters.Add(parameter);
        return command;
    }
}
