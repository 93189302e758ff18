using CartGraph.Domain.Carts;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

public sealed class CreateCartSpecs
{
    [Fact]
    public void A_new_cart_is_created_in_its_currency() =>
        Given().When(Create("EUR")).Then(Created("EUR"));

    [Fact]
    public void Creating_a_cart_that_exists_fails() =>
        Given(Created()).When(Create()).ThenFails(new CartError.CartAlreadyExists());

    [Fact]
    public void Creating_a_cart_that_exists_fails_even_in_another_currency() =>
        Given(Created("USD"), Added("SKU-1", 1, 10)).When(Create("EUR")).ThenFails(new CartError.CartAlreadyExists());
}
