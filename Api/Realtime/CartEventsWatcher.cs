using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Realtime;

/// <summary>
/// <c>cartEvents</c> of one cart: pushes each new event of its stream, read by stream position after the last one
/// pushed. A stream's appends commit in position order (each one moves the stream row the one before it moved), so
/// this skips nothing, and unlike the tenant's commit-order read it reads no other cart's events: a wake-up costs one
/// index lookup however busy the tenant is.
/// </summary>
internal sealed class CartEventsWatcher(EventStore store, TenantId tenant, string cartId, ILogger logger)
    : CartWatcher(tenant, cartId, logger)
{
    private const int BatchSize = 500;
    private long position;

    /// <summary>Starts after the stream's current position: what it holds now is history.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken) =>
        position = await store.StreamPositionAsync(Tenant, CartId!, cancellationToken);

    protected override async Task FetchAndPushAsync(Action<object?> push, CancellationToken cancellationToken)
    {
        while (await store.ReadStreamAsync(Tenant, CartId!, position + 1, maxCount: BatchSize, cancellationToken: cancellationToken) is { Count: > 0 } messages)
        {
            foreach (var message in messages)
                if (CartEventJson.Knows(message.MessageType))
                    push(CartEventModel.From(message));
            position = messages[^1].StreamPosition;
            if (messages.Count < BatchSize) break;
        }
    }
}
