using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Realtime;

/// <summary>
/// <c>cartEvents</c>: the events of one cart, or of every cart of the tenant, in commit order. From now, it skips what had
/// committed when it started (<see cref="StartAsync"/>); after a cursor, it first reads the store after it, then the feed
/// from where that read ended, so the hand-over neither skips nor repeats.
/// </summary>
internal sealed class EventSubscriber(EventStore store, TenantId tenant, string? cartId, ConsumerCursor? after, int capacity)
    : FeedSubscriber<CartEventModel>(capacity, catchesUp: after is not null)
{
    private const int BatchSize = 500;
    private ConsumerCursor last = after ?? ConsumerCursor.Start;
    private CommitSnapshot? history;

    public TenantId Tenant { get; } = tenant;

    /// <summary>The one cart watched, or null for every cart of the tenant.</summary>
    public string? CartId { get; } = cartId;

    public override bool Wants(string changedCartId) => CartId is null || CartId == changedCartId;

    public override bool EndsWith(string removedCartId) => CartId == removedCartId;

    /// <summary>Without a cursor, what has committed by now is history. Call it once the feed offers it events.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (after is null) history = await store.CommitSnapshotAsync(cancellationToken);
    }

    protected override object? Admit(CartEventModel @event)
    {
        if (@event.Position.CompareTo(last) <= 0 || history?.Committed(@event.Position.TransactionId) == true) return null;
        last = @event.Position;
        return @event;
    }

    protected override async Task CatchUpAsync(Action<object?> push, CancellationToken cancellationToken)
    {
        while (true)
        {
            var messages = CartId is null
                ? await store.ReadMessagesAsync(Tenant, last, BatchSize, cancellationToken)
                : await store.ReadStreamMessagesAsync(Tenant, CartId, last, BatchSize, cancellationToken);
            foreach (var message in messages)
            {
                if (CartEventJson.Knows(message.MessageType)) push(CartEventModel.From(Tenant, message));
                last = message.Cursor;
            }
            if (messages.Count < BatchSize) return;
        }
    }
}
