using CartGraph.Domain.Carts;
using LanguageExt;
using static CartGraph.Domain.Carts.CartState;
using static CartGraph.Tests.Unit.Carts.CartSpec;
using static LanguageExt.Prelude;

namespace CartGraph.Tests.Unit.Carts;

/// <summary>The seed's state transitions, one per test, through Evolve.</summary>
public sealed class CartTransitionSpecs
{
    private static CartState Fold(params CartEvent[] events) => Cart.Decider.Fold(events);

    private static CartItems Items(params CartItem[] lines) => new(toSeq(lines));

    [Fact]
    public void A_cart_starts_in_init() => Assert.Equal(InitCart.Instance, Cart.Decider.Initial);

    [Fact]
    public void Init_becomes_active_on_CartCreated() =>
        Assert.Equal(new ActiveCart("USD", CartItems.Empty), Fold(Created("USD")));

    [Fact]
    public void Active_stays_active_on_ItemAddedToCart_and_merges_a_sku() =>
        Assert.Equal(
            new ActiveCart("USD", Items(new CartItem("A", "Item A", 3, 2), new CartItem("B", "Item B", 1, 5))),
            Fold(Created(), Added("A", 1, 2), Added("B", 1, 5), Added("A", 2, 2)));

    [Fact]
    public void Active_stays_active_on_ItemRemovedFromCart_and_drops_a_line_at_zero() =>
        Assert.Equal(
            new ActiveCart("USD", Items(new CartItem("B", "Item B", 1, 5))),
            Fold(Created(), Added("A", 2, 2), Added("B", 2, 5), Removed("A", 2), Removed("B", 1)));

    [Fact]
    public void Active_stays_active_on_CartEmptied_with_no_items() =>
        Assert.Equal(new ActiveCart("USD", CartItems.Empty), Fold(Created(), Added("A", 2, 2), new CartEvent.CartEmptied()));

    [Fact]
    public void Active_becomes_checked_out_on_CartCheckedOut() =>
        Assert.Equal(
            new CheckedOutCart("USD", Items(new CartItem("A", "Item A", 2, 2)), "order-1", 4),
            Fold(Created(), Added("A", 2, 2), CheckedOut("order-1", 4)));

    [Fact]
    public void Active_becomes_cancelled_on_CartCancelled() =>
        Assert.Equal(
            new CancelledCart("USD", Items(new CartItem("A", "Item A", 2, 2)), "abandoned"),
            Fold(Created(), Added("A", 2, 2), Cancelled("abandoned")));

    [Fact]
    public void An_event_that_does_not_apply_leaves_the_state_unchanged()
    {
        var checkedOut = Fold(Created(), Added("A", 2, 2), CheckedOut("order-1", 4));
        Assert.Equal(checkedOut, Cart.Evolve(checkedOut, Added("B", 1, 1)));
        Assert.Equal(InitCart.Instance, Cart.Evolve(InitCart.Instance, Removed("A", 1)));
    }

    [Fact]
    public void Only_checked_out_and_cancelled_carts_are_terminal()
    {
        Assert.False(Cart.IsTerminal(Fold()));
        Assert.False(Cart.IsTerminal(Fold(Created())));
        Assert.True(Cart.IsTerminal(Fold(Created(), Added("A", 1, 1), CheckedOut("o", 1))));
        Assert.True(Cart.IsTerminal(Fold(Created(), Cancelled("r"))));
    }
}
