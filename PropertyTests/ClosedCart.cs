using CartGraph.Domain.Carts;
using LanguageExt;
using static CartGraph.Domain.Carts.CartState;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>A cart that accepted commands brought to CheckedOut or Cancelled, with the commands that got it there.</summary>
public sealed record ClosedCart(CommandScript History, CartState State)
{
    public static Option<ClosedCart> Reached(CommandScript history) =>
        CartRun.Of(history.Commands).Final is var state && state is CheckedOutCart or CancelledCart
            ? Some(new ClosedCart(history, state))
            : None;
}
