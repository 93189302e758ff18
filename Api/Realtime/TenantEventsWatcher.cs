using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Realtime;

/// <summary>
/// <c>cartEvents</c> without a cart: pushes every new event of all the tenant's carts. It reads the tenant's messages
/// in commit order after its own cursor, as a projection does, so no event is skipped or repeated.
/// </summary>
internal sealed class TenantEventsWatcher(EventStore store, TenantId tenant, ILogger logger)
    : CartWatcher(tenant, cartId: null, logger)
{
    private const int BatchSize = 500;
    private ConsumerCursor cursor = ConsumerCursor.Start;
    private CommitSnapshot history = CommitSnapshot.None;

    /// <summary>Starts at the oldest transaction running now, skipping what had committed by then: that is history.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        history = await store.CommitSnapshotAsync(cancellationToken);
        cursor = history.Start;
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
}
