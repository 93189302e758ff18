using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 1000)]
public static class DecisionProperties
{
    // NOTE: that a rejection carries no events holds by the Either type; what can break is an accepted decision
    // that emits events changing nothing, or one that changes the cart without an event to store.
    [Property]
    public static Property Decisions_emit_events_exactly_when_the_cart_changes(CommandScript script)
    {
        var offending = CartRun.Of(script.Commands).Steps.Find(step =>
            step.Decision.Match(
                Left: _ => false,
                Right: events => events.IsEmpty != (step.After == step.Before)));
        return offending.IsNone.Label($"Offending step: {offending}");
    }

    [Property]
    public static Property Decide_rejects_a_command_exactly_when_it_breaks_a_business_rule(CommandScript script)
    {
        var offending = CartRun.Of(script.Commands).Steps.Find(step =>
            step.Decision.Match(
                Left: error => !CartRules.Broken(step.Before, step.Command).Contains(error.Code),
                Right: _ => !CartRules.Broken(step.Before, step.Command).IsEmpty));
        return offending.IsNone.Label(
            $"Offending step: {offending}; rules broken: {offending.Map(step => CartRules.Broken(step.Before, step.Command))}");
    }
}
