using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using static CartGraph.Domain.Carts.CartEvent;
using static CartGraph.Domain.Carts.CartState;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>
/// States hold evaluated data: what a state keeps alive depends on its lines, never on how many events it was folded
/// from. A cache holds thousands of states for as long as their carts live, so one layer kept per event adds up.
/// </summary>
[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 100, EndSize = 400)]
public static class StrictStateProperties
{
    [Property]
    public static Property A_state_folded_from_a_long_history_keeps_no_more_alive_than_the_same_state_built_from_its_lines(
        DecidedEvents history)
    {
        var folded = Cart.Decider.Fold(history.Events);
        var shortest = ShortestHistoryOf(folded);
        var rebuilt = Cart.Decider.Fold(shortest);
        var (kept, needed) = (RetainedObjects.Count(folded), RetainedObjects.Count(rebuilt));
        return (rebuilt == folded && kept <= needed).Label(
            $"Folded from {history.Events.Count} events, the state keeps {kept} objects alive; " +
            $"built from {shortest.Count} events, the same state {(rebuilt == folded ? "" : "(not equal!) ")}keeps {needed}: {folded}");
    }

    [Property]
    public static Property A_read_model_row_projected_from_a_long_history_keeps_no_more_alive_than_one_projected_from_its_lines(
        DecidedEvents history)
    {
        var projected = Project(history.Events);
        var rebuilt = projected.Bind(row => Project(ShortestHistoryOf(row.State)));
        var (kept, needed) = (projected.Map(RetainedObjects.Count).IfNone(0), rebuilt.Map(RetainedObjects.Count).IfNone(0));
        return (projected.Map(row => row.State) == rebuilt.Map(row => row.State) && kept <= needed).Label(
            $"Projected from {history.Events.Count} events, the row keeps {kept} objects alive; from its lines, {needed}: {projected}");
    }

    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Domain.Values.TenantId Tenant = Domain.Values.TenantId.Parse("tenant-1");

    private static Option<CartView> Project(Seq<CartEvent> events) =>
        events.Fold((Row: Option<CartView>.None, Position: 0L), (projected, @event) =>
            (CartViews.Project(projected.Row, Tenant, "cart-1", @event, projected.Position + 1, At), projected.Position + 1)).Row;

    /// <summary>The fewest events that lead to <paramref name="state"/>: created, each line added once, closed.</summary>
    private static Seq<CartEvent> ShortestHistoryOf(CartState state) => state switch
    {
        ActiveCart cart => Opened(cart.Currency, cart.Items),
        CheckedOutCart cart => Opened(cart.Currency, cart.Items).Add(new CartCheckedOut(cart.OrderId, cart.Total)),
        CancelledCart cart => Opened(cart.Currency, cart.Items).Add(new CartCancelled(cart.Reason)),
        _ => Seq<CartEvent>(),
    };

    private static Seq<CartEvent> Opened(string currency, CartItems items) =>
        toSeq(items.Lines.Select(CartEvent (line) => new ItemAddedToCart(line)).Prepend(new CartCreated(currency)).ToArray());
}
