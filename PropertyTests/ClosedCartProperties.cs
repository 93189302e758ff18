using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 1000)]
public static class ClosedCartProperties
{
    [Property]
    public static Property Closed_carts_reject_every_command(ClosedCart cart, CartCommand[] attempts)
    {
        var run = CartRun.From(cart.State, toSeq(attempts));
        var accepted = run.Steps.Find(step => step.Decision.IsRight);
        var changed = run.Steps.Find(step => step.After != cart.State);
        return (accepted.IsNone && changed.IsNone)
            .Label($"Accepted: {accepted}; changed the state: {changed}");
    }

    [Property]
    public static Property Closed_carts_ignore_any_later_event(ClosedCart cart, DecidedEvents later)
    {
        var changing = later.Events.Find(@event => Cart.Decider.Evolve(cart.State, @event) != cart.State);
        return (changing.IsNone && Cart.Decider.Fold(cart.State, later.Events) == cart.State)
            .Label($"Changed by {changing}");
    }
}
