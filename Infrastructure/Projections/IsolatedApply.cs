using CartGraph.Infrastructure.EventStore;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// Applies streams one at a time, each behind a savepoint, inside the caller's transaction: the way a batch is applied
/// once applying it whole failed, and the way a parked stream is retried. A stream that fails is rolled back alone, then
/// applied message by message up to the first one that fails, where it stops (unless an operator decided to pass over
/// that very message); every other stream goes on. Each applied message moves its stream's bookmark.
/// </summary>
internal static class IsolatedApply
{
    /// <param name="Changes">What changed, one entry per stream.</param>
    /// <param name="Failed">The streams that stopped, at the message that failed.</param>
    /// <param name="PassedOver">Messages that failed again and were passed over, as an operator had decided.</param>
    public sealed record Outcome(
        IReadOnlyList<ProjectedChange> Changes, IReadOnlyList<StreamBlocked> Failed, IReadOnlyList<RecordedMessage> PassedOver);

    public static async Task<Outcome> ApplyAsync(
        NpgsqlConnection connection, IProjection projection, TenantTables tables, IReadOnlyList<StreamRun> runs, CancellationToken ct)
    {
        var changes = new Dictionary<string, ProjectedChange>();
        var failed = new List<StreamBlocked>();
        var passedOver = new List<RecordedMessage>();
        foreach (var run in runs)
        {
            if (await TryApplyAsync(connection, projection, tables, run.Messages, changes, ct) is null) continue;
            foreach (var message in run.Messages)
            {
                if (await TryApplyAsync(connection, projection, tables, [message], changes, ct) is not { } error) continue;
                if (!await ParkedMessages.WasSkippedAsync(connection, projection, tables.Tenant, message, ct))
                {
                    failed.Add(new StreamBlocked(message, error));
                    break;
                }
                await ExecuteAsync(connection, [SubscriptionCheckpoints.StoreBookmarks(projection, tables, [message])], ct);
                passedOver.Add(message);
            }
        }
        return new Outcome(changes.Values.ToList(), failed, passedOver);
    }

    /// <summary>Applies messages of one stream behind a savepoint: null when applied, else why not (and nothing of them stays).</summary>
    private static async Task<string?> TryApplyAsync(
        NpgsqlConnection connection, IProjection projection, TenantTables tables, IReadOnlyList<RecordedMessage> messages,
        Dictionary<string, ProjectedChange> changes, CancellationToken ct)
    {
        await ExecuteAsync(connection, [new NpgsqlBatchCommand("SAVEPOINT cartgraph_stream")], ct);
        try
        {
            var writes = await projection.ApplyAsync(connection, tables.Tenant, messages, ct);
            await ExecuteAsync(connection,
                [.. writes.Commands, SubscriptionCheckpoints.StoreBookmarks(projection, tables, [messages[^1]]), new("RELEASE SAVEPOINT cartgraph_stream")],
                ct);
            foreach (var change in writes.Changes) changes[change.StreamId] = change;
            return null;
        }
        catch (Exception e) when (PoisonMessage.Is(e))
        {
            await ExecuteAsync(connection,
                [new NpgsqlBatchCommand("ROLLBACK TO SAVEPOINT cartgraph_stream"), new("RELEASE SAVEPOINT cartgraph_stream")], ct);
            return PoisonMessage.Describe(e);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, IEnumerable<NpgsqlBatchCommand> commands, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in commands) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
    }
}
