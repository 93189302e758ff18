using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 1000)]
public static class ReplayProperties
{
    // The run itself calls Evolve on every event Decide produced: an exception there fails the property too.
    [Property]
    public static Property Replaying_the_decided_events_rebuilds_every_state(CommandScript script)
    {
        var run = CartRun.Of(script.Commands);
        var mismatch = toSeq(run.Steps.Select((step, index) => (
                Decided: step.After,
                Replayed: Cart.Decider.Fold(run.Steps.Take(index + 1).Bind(earlier => earlier.Events)),
                ReplayedAgain: Cart.Decider.Fold(run.Steps.Take(index + 1).Bind(earlier => earlier.Events)))))
            .Find(states => states.Replayed != states.Decided || states.ReplayedAgain != states.Replayed);
        return mismatch.IsNone.Label($"Decided, replayed, replayed again: {mismatch}");
    }
}
