using CartGraph.Domain.Values;
using LanguageExt;
using Npgsql;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>What archiving moved.</summary>
public sealed record ArchiveResult(string StreamId, long StreamPosition, long MessagesArchived);

public sealed partial class EventStore
{
    /// <summary>
    /// Moves a stream's row and all its messages to the archived partitions, in one transaction. Nothing is
    /// deleted; reads and consumers no longer see the stream, and appending to it again is refused.
    /// </summary>
    /// <param name="expectedPosition">When given, archive only a stream at exactly this position.</param>
    /// <param name="beforeArchiving">Runs first in the same transaction, e.g. to lock what must not interleave; it is given the tenant's tables.</param>
    /// <param name="afterArchiving">Runs in the same transaction once the stream moved, e.g. to update read models.</param>
    public async Task<Either<StreamError, ArchiveResult>> ArchiveStreamAsync(
        TenantId tenant,
        string streamId,
        Option<long> expectedPosition = default,
        Func<NpgsqlConnection, TenantTables, CancellationToken, Task>? beforeArchiving = null,
        Func<NpgsqlConnection, TenantTables, CancellationToken, Task>? afterArchiving = null,
        CancellationToken cancellationToken = default)
    {
        if (StreamIds.Problem(streamId).Case is string problem)
            return Left<StreamError, ArchiveResult>(new StreamError.InvalidAppend(problem));
        return await WithTablesAsync<Either<StreamError, ArchiveResult>>(tenant, new StreamError.StreamNotFound(streamId),
            tables => ArchiveAsync(tables, streamId, expectedPosition, beforeArchiving, afterArchiving, cancellationToken), cancellationToken);
    }

    private async Task<Either<StreamError, ArchiveResult>> ArchiveAsync(
        TenantTables tables,
        string streamId,
        Option<long> expectedPosition,
        Func<NpgsqlConnection, TenantTables, CancellationToken, Task>? beforeArchiving,
        Func<NpgsqlConnection, TenantTables, CancellationToken, Task>? afterArchiving,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (beforeArchiving is not null) await beforeArchiving(connection, tables, cancellationToken);
        // The stream row first: its lock waits for an append in flight, so the messages moved next include it.
        await using var moveStream = new NpgsqlCommand($"""
            UPDATE {tables.Streams} SET is_archived = TRUE
             WHERE stream_id = $1 AND is_archived = FALSE AND ($2::bigint IS NULL OR stream_position = $2)
            RETURNING stream_position
            """, connection, transaction);
        moveStream.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        moveStream.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint,
            Value = expectedPosition.Case is long expected ? expected : DBNull.Value,
        });
        if (await moveStream.ExecuteScalarAsync(cancellationToken) is not long position)
        {
            await transaction.RollbackAsync(cancellationToken);
            var (actual, archived) = await StreamStateAsync(connection, tables, streamId, cancellationToken);
            return archived ? new StreamError.StreamArchived(streamId)
                : actual == 0 ? new StreamError.StreamNotFound(streamId)
                : new StreamError.WrongExpectedVersion(streamId, ExpectedVersion.Exactly((long)expectedPosition.Case!), actual);
        }

        await using var moveMessages = new NpgsqlCommand($"""
            UPDATE {tables.Messages} SET is_archived = TRUE WHERE stream_id = $1 AND is_archived = FALSE
            """, connection, transaction);
        moveMessages.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        var moved = await moveMessages.ExecuteNonQueryAsync(cancellationToken);
        if (afterArchiving is not null) await afterArchiving(connection, tables, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ArchiveResult(streamId, position, moved);
    }

    /// <summary>
    /// Which of these streams are archived (read the ids from the command's rows); a batch command, so that a consumer
    /// sends it with its own statements.
    /// </summary>
    public static NpgsqlBatchCommand ArchivedAmong(TenantTables tables, IReadOnlyCollection<string> streamIds) => new(
        $"SELECT stream_id FROM {tables.ArchivedStreams} WHERE stream_id = ANY($1)")
    {
        Parameters = { new NpgsqlParameter<string[]> { TypedValue = streamIds.ToArray() } },
    };
}
