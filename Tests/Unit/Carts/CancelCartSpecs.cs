using CartGraph.Domain.Carts;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

public sealed class CancelCartSpecs
{
    [Fact]
    public void An_active_cart_is_cancelled_with_its_reason() =>
        Given(Created(), Added("SKU-123", 2, 25)).When(Cancel("out of stock")).Then(Cancelled("out of stock"));

    [Fact]
    public void An_empty_active_cart_can_be_cancelled() =>
        Given(Created()).When(Cancel("abandoned")).Then(Cancelled("abandoned"));

    [Fact]
    public void Cancelling_a_cart_that_does_not_exist_fails() =>
        Given().When(Cancel()).ThenFails(new CartError.CartNotFound());
}
