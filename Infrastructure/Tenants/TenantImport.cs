using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CartGraph.Infrastructure.Tenants;

/// <summary>
/// Imports a tenant export into a tenant without streams, while the service runs: stream positions, message ids, types,
/// schema versions, metadata and times as exported, commit order kept (global positions and transaction ids are the
/// importing store's). Then each projection replays the tenant, so its read model is there when the import returns.
/// </summary>
/// <remarks>
/// NOTE: the tenant's tables are filled while staged, not attached, in short transactions (a long one would hold
/// every consumer of the cluster back), and attached at the end in one: until then nobody sees a row, and a failure
/// drops them, so an import lands whole or not at all. The tenant is held meanwhile: its first append waits for the
/// import, then lands in the imported tenant.
/// </remarks>
public sealed class TenantImport(
    PostgresDatabase database, IEnumerable<IProjection> projections, ProjectionOptions options, ILoggerFactory? loggers = null)
{
    private const int BatchSize = 1_000;

    private readonly IReadOnlyList<IProjection> projections = projections.ToList();

    public async Task<Either<TenantError, TenantRecord.Header>> FromFileAsync(
        string path, IProgress<TenantProgress>? progress = null, CancellationToken ct = default)
    {
        var check = await TenantFile.CheckAsync(path, progress, ct);
        if (check.Case is not TenantRecord.Header header) return check;
        var tenant = TenantId.Parse(header.Tenant);

        await using (var session = await database.Dedicated.OpenConnectionAsync(ct))
        {
            if (!await TenantPartitions.TryHoldAsync(session, tenant, ct)) return new TenantError.TenantBusy(tenant);
            try
            {
                var emptied = await EmptyAsync(session, tenant, ct);
                if (emptied.Case is TenantError refused) return refused;
                await LoadAsync(session, tenant, header, path, wasProvisioned: (bool)emptied.Case!, progress, ct);
            }
            finally
            {
                await TenantPartitions.ReleaseAsync(session, tenant, CancellationToken.None);
            }
        }

        var rebuild = new ProjectionRebuild(database, options, loggers);
        foreach (var projection in projections)
            await rebuild.RunAsync(projection, [tenant],
                new Relay<RebuildProgress>(p => progress?.Report(new TenantProgress($"projecting {p.Projection}", p.Done, p.Total))), ct);
        return header;
    }

    /// <summary>
    /// A provisioned tenant without streams gives its empty tables up (true); one with streams refuses. Its tables are
    /// detached before they are dropped, and an append that came in between brings them back, refused.
    /// </summary>
    private static async Task<Either<TenantError, bool>> EmptyAsync(NpgsqlConnection session, TenantId tenant, CancellationToken ct)
    {
        if (await TenantTables.ResolveAsync(session, tenant, ct) is not { } tables) return false;
        var summary = await EventStore.EventStore.SummarizeTenantAsync(session, tables, ct);
        if (summary.Streams > 0 || summary.Messages > 0) return new TenantError.TenantNotEmpty(tenant, summary.Streams);

        await TenantPartitions.DropUnattachedAsync(session, tenant, ct); // leftovers: what is unattached next is what we detach
        await TenantPartitions.DetachAsync(session, tenant, ct);
        var detached = await TenantPartitions.UnattachedAsync(session, tenant, ct);
        if (!await TenantPartitions.DropIfEmptyAsync(session, detached, ct))
        {
            await using var transaction = await session.BeginTransactionAsync(ct);
            await TenantPartitions.AttachAsync(session, tenant, detached, ct);
            await transaction.CommitAsync(ct);
            return new TenantError.WrittenMeanwhile(tenant);
        }
        return true;
    }

    private async Task LoadAsync(
        NpgsqlConnection session, TenantId tenant, TenantRecord.Header header, string path, bool wasProvisioned,
        IProgress<TenantProgress>? progress, CancellationToken ct)
    {
        var staged = await TenantPartitions.StageAsync(session, tenant, ct);
        try
        {
            var streamsTable = staged.Single(t => t.Parent == "emt_streams");
            var messagesTable = staged.Single(t => t.Parent == "emt_messages");
            var streams = new List<TenantRecord.Stream>(BatchSize);
            var messages = new List<TenantRecord.Message>(BatchSize);
            var done = 0L;
            async Task Flush()
            {
                if (streams.Count > 0) await ExecuteAsync(EventStore.EventStore.InsertStreams(session, streamsTable, tenant, streams), ct);
                if (messages.Count > 0) await ExecuteAsync(EventStore.EventStore.InsertMessages(session, messagesTable, tenant, messages), ct);
                done += messages.Count;
                (streams, messages) = (new(BatchSize), new(BatchSize));
                progress?.Report(new TenantProgress("importing", done, header.Messages));
            }
            await foreach (var record in TenantFile.ReadAsync(path, ct))
            {
                if (record is TenantRecord.Stream stream) streams.Add(stream);
                else if (record is TenantRecord.Message message) messages.Add(message);
                if (streams.Count + messages.Count >= BatchSize) await Flush();
            }
            await Flush();

            await using var transaction = await session.BeginTransactionAsync(ct);
            await TenantPartitions.AttachAsync(session, tenant, staged, ct);
            var tables = await TenantTables.ResolveAsync(session, tenant, ct) ?? throw new InvalidOperationException($"Tenant {tenant}'s tables are not attached.");
            await using var start = new NpgsqlBatch(session);
            foreach (var projection in projections) start.BatchCommands.Add(SubscriptionCheckpoints.EnsureCursor(projection, tables));
            start.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
            {
                Parameters = { new NpgsqlParameter<string> { TypedValue = AppendNotifier.Channel }, new NpgsqlParameter<string> { TypedValue = tenant.Value } },
            });
            await start.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            await UndoAsync(session, tenant, wasProvisioned);
            throw;
        }
    }

    /// <summary>Back to how the tenant was: no staged table, and its empty partitions if it had them.</summary>
    private static async Task UndoAsync(NpgsqlConnection session, TenantId tenant, bool wasProvisioned)
    {
        try
        {
            await TenantPartitions.DropUnattachedAsync(session, tenant, CancellationToken.None);
            if (wasProvisioned)
                await ExecuteAsync(new NpgsqlCommand("SELECT emt_add_partition($1)", session) { Parameters = { new() { Value = tenant.Value } } },
                    CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The failure that brought us here matters more; staged leftovers go with the tenant's next import or onboarding.
        }
    }

    private static async Task ExecuteAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using (command) await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reports synchronously, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
