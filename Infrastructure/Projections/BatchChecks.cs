using CartGraph.Infrastructure.EventStore;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// What a batch learns in its first round trip, once it holds the cursor: the stored cursor, and for the batch's
/// streams their bookmarks, which are archived and which wait behind a parked message.
/// </summary>
/// <remarks>
/// NOTE: with the cursor locked, no archive, reset, retry or skip can commit before the batch does (each takes the same
/// lock first), so what is read here holds until the commit.
/// </remarks>
internal sealed record BatchChecks(
    int? Served,
    ConsumerCursor? Cursor,
    IReadOnlyDictionary<string, long> Bookmarks,
    IReadOnlySet<string> Archived,
    IReadOnlyDictionary<string, long> Parked)
{
    public static async Task<BatchChecks> ReadAsync(
        NpgsqlConnection connection, IProjection projection, TenantTables tables, IReadOnlyCollection<string> streams, bool followServed, CancellationToken ct)
    {
        await using var checks = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // NOTE: a read model is derived data. Committing a batch without waiting for its WAL flush keeps the disk
                // off the lag; a crash can only lose whole batches, rows and cursor together, which are then replayed.
                new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"),
                SubscriptionCheckpoints.LockCursor(projection, tables),
                SubscriptionCheckpoints.Bookmarks(projection, tables, streams),
                EventStore.EventStore.ArchivedAmong(tables, streams),
                ParkedMessages.WaitingAmong(projection, tables.Tenant, streams),
            },
        };
        if (followServed) checks.BatchCommands.Insert(1, ProjectionVersions.ShareServed(projection, tables.Tenant));
        // NOTE: Npgsql's reader starts at the first statement that returns rows; SET returns none.
        await using var reader = await checks.ExecuteReaderAsync(ct);
        int? served = null;
        if (followServed)
        {
            if (await reader.ReadAsync(ct)) served = reader.GetInt32(0);
            await reader.NextResultAsync(ct);
        }
        var cursor = await SubscriptionCheckpoints.ReadCursorAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var bookmarks = await SubscriptionCheckpoints.ReadBookmarksAsync(reader, projection, ct);
        await reader.NextResultAsync(ct);
        var archived = new HashSet<string>();
        while (await reader.ReadAsync(ct)) archived.Add(reader.GetString(0));
        await reader.NextResultAsync(ct);
        var parked = await ParkedMessages.ReadWaitingAsync(reader, ct);
        return new BatchChecks(served, cursor, bookmarks, archived, parked);
    }
}
