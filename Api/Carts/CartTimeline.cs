using CartGraph.Domain;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Api.Carts;

/// <summary>
/// Carts as they were, folded from their event streams with the decider's own Evolve (never from the read model): at a
/// version or a time (<c>cartAt</c>), and after each event of a page of history (<c>cartHistory</c>).
/// </summary>
public sealed class CartTimeline(EventStore store)
{
    /// <summary>
    /// The cart up to that version (inclusive) or as of that time, archived or not: none when it did not exist yet. An
    /// event it cannot read on the way leaves it unknown.
    /// </summary>
    public async Task<Either<StreamError, Option<CartView>>> AtAsync(
        TenantId tenant, string cartId, long toVersion, DateTimeOffset? asOf, CancellationToken cancellationToken) =>
        (await store.AggregateStreamAsOfAsync(tenant, cartId, Cart.Decider, CartEventJson.Codec, toVersion, asOf, cancellationToken))
            .Map(folded => ViewOf(tenant, cartId, folded.State, folded.Version));

    /// <summary>
    /// Up to <paramref name="first"/> events after a stream position, oldest first, each with the cart right after it, and
    /// whether more follow. The cart is folded once for the page: up to the position before it, then event by event.
    /// </summary>
    public async Task<(IReadOnlyList<CartEventModel> Events, bool HasMore)> PageAsync(
        TenantId tenant, string cartId, long afterPosition, int first, CancellationToken cancellationToken)
    {
        var messages = await store.ReadStreamAsync(tenant, cartId, afterPosition + 1, maxCount: first + 1, cancellationToken: cancellationToken);
        var page = messages.Take(first).ToList();
        var state = page.Count == 0 || afterPosition == 0
            ? Right<StreamError, CartState>(Cart.Decider.Initial)
            : (await store.AggregateStreamAsOfAsync(tenant, cartId, Cart.Decider, CartEventJson.Codec, afterPosition, cancellationToken: cancellationToken))
                .Map(folded => folded.State);
        var events = new List<CartEventModel>(page.Count);
        foreach (var message in page)
        {
            state = state.Bind(before => Evolve(before, message));
            events.Add(CartEventModel.From(tenant, message) with
            {
                After = state.Map(after => ViewOf(tenant, cartId, after, message.StreamPosition)),
            });
        }
        return (events, messages.Count > first);
    }

    /// <summary>The state after one more message: the same for a type that is no cart event, unknown for one it cannot read.</summary>
    private static Either<StreamError, CartState> Evolve(CartState state, RecordedMessage message) =>
        CartEventJson.Codec.Deserialize(message.MessageType, message.SchemaVersion, message.Data).Match(
            Right: read => Right<StreamError, CartState>(read.Match(Some: @event => Cart.Evolve(state, @event), None: () => state)),
            Left: unreadable => Left<StreamError, CartState>(
                new StreamError.UnreadableMessage(message.StreamId, message.StreamPosition, message.MessageType, unreadable.Reason)));

    private static Option<CartView> ViewOf(TenantId tenant, string cartId, CartState state, long version) =>
        version == 0 || state is CartState.InitCart ? None : Some(new CartView(tenant, cartId, state, version));
}
