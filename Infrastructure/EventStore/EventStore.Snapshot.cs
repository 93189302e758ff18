namespace CartGraph.Infrastructure.EventStore;

public sealed partial class EventStore
{
    /// <summary>Which transactions have committed now, in the whole cluster: where a consumer of new messages starts.</summary>
    public async Task<CommitSnapshot> CommitSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.Commands.CreateCommand("SELECT pg_current_snapshot()::text");
        return CommitSnapshot.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!);
    }
}
