using CartGraph.Domain.Carts;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

public sealed class CheckOutCartSpecs
{
    [Fact]
    public void A_cart_is_checked_out_at_its_computed_total() =>
        Given(Created(), Added("SKU-123", 2, 25), Added("SKU-456", 1, 15.5m))
            .When(CheckOut("order-1"))
            .Then(CheckedOut("order-1", 65.5m));

    [Fact]
    public void A_total_given_by_the_client_that_matches_is_accepted() =>
        Given(Created(), Added("SKU-123", 2, 25)).When(CheckOut("order-1", 50.00m)).Then(CheckedOut("order-1", 50));

    [Fact]
    public void A_total_given_by_the_client_that_differs_fails() =>
        Given(Created(), Added("SKU-123", 2, 25))
            .When(CheckOut("order-1", 49.99m))
            .ThenFails(new CartError.TotalMismatch(50, 49.99m));

    [Fact]
    public void An_empty_cart_cannot_be_checked_out() =>
        Given(Created()).When(CheckOut()).ThenFails(new CartError.CartIsEmpty());

    [Fact]
    public void A_cart_emptied_before_checkout_cannot_be_checked_out() =>
        Given(Created(), Added("SKU-123", 2, 25), new CartEvent.CartEmptied())
            .When(CheckOut())
            .ThenFails(new CartError.CartIsEmpty());

    [Fact]
    public void A_cart_of_free_items_checks_out_at_zero() =>
        Given(Created(), Added("GIFT", 1, 0)).When(CheckOut("order-1")).Then(CheckedOut("order-1", 0));

    [Fact]
    public void Checking_out_a_cart_that_does_not_exist_fails() =>
        Given().When(CheckOut()).ThenFails(new CartError.CartNotFound());
}
