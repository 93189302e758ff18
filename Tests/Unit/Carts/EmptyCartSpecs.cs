using CartGraph.Domain.Carts;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

public sealed class EmptyCartSpecs
{
    [Fact]
    public void A_cart_with_items_is_emptied() =>
        Given(Created(), Added("SKU-123", 2, 25)).When(Empty()).Then(new CartEvent.CartEmptied());

    [Fact]
    public void Emptying_an_empty_cart_changes_nothing() =>
        Given(Created()).When(Empty()).ThenNothingHappened();

    [Fact]
    public void Emptying_a_cart_whose_items_were_all_removed_changes_nothing() =>
        Given(Created(), Added("SKU-123", 2, 25), Removed("SKU-123", 2)).When(Empty()).ThenNothingHappened();

    [Fact]
    public void Emptying_a_cart_that_does_not_exist_fails() =>
        Given().When(Empty()).ThenFails(new CartError.CartNotFound());
}
