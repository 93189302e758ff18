using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>
/// Decide answers a command only with an error <see cref="CartErrors"/> lists for it: the table each mutation's error
/// union is checked against (Tests/Api/ErrorUnionSpecs.cs) cannot miss an error the decider gives.
/// </summary>
[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 1000)]
public static class ErrorTableProperties
{
    [Property]
    public static Property Every_rejection_of_an_open_cart_is_listed_for_its_command(CommandScript script) =>
        Unlisted(CartRun.Of(script.Commands));

    [Property]
    public static Property Every_rejection_of_a_closed_cart_is_listed_for_its_command(ClosedCart cart, CartCommand[] attempts) =>
        Unlisted(CartRun.From(cart.State, toSeq(attempts)));

    private static Property Unlisted(CartRun run)
    {
        var offending = run.Steps.Find(step => step.Decision.Match(
            Left: error => !CartErrors.Of(step.Command.GetType()).Contains(error.GetType()),
            Right: _ => false));
        return offending.IsNone.Label(
            $"Decide gave an error its command's list lacks: {offending}; listed: {offending.Map(step => string.Join(", ", CartErrors.Of(step.Command.GetType()).Select(t => t.Name)))}");
    }
}
