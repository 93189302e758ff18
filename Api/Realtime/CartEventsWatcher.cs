using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Realtime;

/// <summary>
/// <c>cartEvents</c>: pushes every new event, of one cart or of all the tenant's carts. It reads the tenant's
/// messages in commit order after its own cursor, as a projection does, so no event is skipped or repeated.
/// </summary>
internal sealed class CartEventsWatcher(EventStore store, TenantId tenant, string? cartId, ILogger logger)
    : CartWatcher(tenant, cartId, logger)
{
    private const int BatchSize = 500;
    private ConsumerCursor cursor = ConsumerCursor.Start;

    /// <summary>Starts after every transaction already finished: what committed before the subscription is history.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken) =>
        cursor = new ConsumerCursor(await store.CurrentHorizonAsync(cancellationToken), 0);

    protected override async Task FetchAndPushAsync(Action<object?> push, CancellationToken cancellationToken)
    {
        while (await store.ReadMessagesAsync(Tenant, cursor, BatchSize, cancellationToken) is { Count: > 0 } messages)
        {
            foreach (var message in messages)
                if (Wants(message.StreamId) && CartEventJson.Codec.Deserialize(message.MessageType, message.Data).IsSome)
                    push(CartEventModel.From(message));
            cursor = messages[^1].Cursor;
            if (messages.Count < BatchSize) break;
        }
    }
}
