using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Realtime;

/// <summary>
/// <c>cartEvents</c> without a cart: pushes every new event of all the tenant's carts. It reads the tenant's messages
/// in commit order after its own cursor, as a projection does, so no event is skipped or repeated.
/// </summary>
internal sealed class TenantEventsWatcher(EventStore store, PostgresDatabase database, TenantId tenant, ILogger logger)
    : CartWatcher(tenant, cartId: null, logger)
{
    private const int BatchSize = 500;
    private ConsumerCursor cursor = ConsumerCursor.Start;
    private Snapshot history = Snapshot.None;

    /// <summary>
    /// Starts at the oldest transaction running now, skipping what had committed by then: that is history.
    /// NOTE: a cursor at the horizon alone would replay what committed after an older transaction still running
    /// (anywhere in the cluster) began.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = database.Commands.CreateCommand("SELECT pg_current_snapshot()::text");
        history = Snapshot.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!);
        cursor = new ConsumerCursor(history.Xmin, 0);
    }

    protected override async Task FetchAndPushAsync(Action<object?> push, CancellationToken cancellationToken)
    {
        while (await store.ReadMessagesAsync(Tenant, cursor, BatchSize, cancellationToken) is { Count: > 0 } messages)
        {
            foreach (var message in messages)
                if (!history.Committed(message.TransactionId)
                    && CartEventJson.Knows(message.MessageType))
                    push(CartEventModel.From(message));
            cursor = messages[^1].Cursor;
            if (messages.Count < BatchSize) break;
        }
    }

    /// <summary>A PostgreSQL snapshot (<c>xmin:xmax:xip,...</c>): which transactions had committed when it was taken.</summary>
    private sealed record Snapshot(ulong Xmin, ulong Xmax, IReadOnlySet<ulong> Running)
    {
        public static readonly Snapshot None = new(0, 0, new HashSet<ulong>());

        public bool Committed(ulong transactionId) =>
            transactionId < Xmin || (transactionId < Xmax && !Running.Contains(transactionId));

        public static Snapshot Parse(string text)
        {
            var parts = text.Split(':');
            return new Snapshot(ulong.Parse(parts[0]), ulong.Parse(parts[1]),
                parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToHashSet());
        }
    }
}
