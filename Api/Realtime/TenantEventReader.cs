using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Realtime;

/// <summary>
/// The one reader of a tenant's new events in this instance, for every <c>cartEvents</c> of the tenant or of its carts:
/// it reads the tenant's messages in commit order after its own cursor, as a projection does, and shares each event.
/// </summary>
internal sealed class TenantEventReader(EventStore store, TenantId tenant, ILogger logger) : FeedReader<CartEventModel>(logger)
{
    private const int BatchSize = 500;
    private ConsumerCursor cursor = ConsumerCursor.Start;

    /// <summary>
    /// Starts at the oldest transaction running now: a subscriber added later skips, by its own snapshot, what had
    /// committed before it started, and whatever committed after that is still ahead of this cursor.
    /// </summary>
    protected override async Task StartAsync() => cursor = (await store.CommitSnapshotAsync()).Start;

    protected override async Task ReadAsync(Action<string, CartEventModel> offer)
    {
        while (await store.ReadMessagesAsync(tenant, cursor, BatchSize) is { Count: > 0 } messages)
        {
            foreach (var message in messages)
                if (CartEventJson.Knows(message.MessageType))
                    offer(message.StreamId, CartEventModel.From(tenant, message));
            cursor = messages[^1].Cursor;
            if (messages.Count < BatchSize) break;
        }
    }
}
