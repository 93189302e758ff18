using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static CartGraph.Domain.Carts.CartState;

namespace CartGraph.PropertyTests;

[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 1000)]
public static class CartTotalProperties
{
    [Property]
    public static Property Item_quantities_stay_positive(CommandScript script)
    {
        var offending = CartRun.Of(script.Commands).States
            .Find(state => CartStates.Contents(state).Items.Lines.Exists(line => line.Quantity <= 0));
        return offending.IsNone.Label($"A state with a line of no units: {offending}");
    }

    [Property]
    public static Property A_cart_total_is_the_sum_of_quantity_times_unit_price(CommandScript script)
    {
        var offending = CartRun.Of(script.Commands).States.Find(state => !TotalMatchesLines(state));
        return offending.IsNone.Label($"A state whose total is not the sum of its lines: {offending}");
    }

    private static bool TotalMatchesLines(CartState state) => state switch
    {
        ActiveCart cart => cart.Items.Total == CartLines.Total(cart.Items.Lines),
        // The stored total is what the order will charge: it must still be what the lines add up to.
        CheckedOutCart cart => cart.Total == CartLines.Total(cart.Items.Lines)
                               && cart.Items.Total == CartLines.Total(cart.Items.Lines),
        CancelledCart cart => cart.Items.Total == CartLines.Total(cart.Items.Lines),
        _ => true,
    };
}
