using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>
/// Every error the decider gives reads back from its stored text as the same error: a keyed command's remembered
/// rejection answers its repeat exactly as the first answer.
/// </summary>
[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 500)]
public static class ErrorJsonProperties
{
    [Property]
    public static Property Every_rejection_of_an_open_cart_reads_back_as_itself(CommandScript script) =>
        Mismatched(CartRun.Of(script.Commands));

    [Property]
    public static Property Every_rejection_of_a_closed_cart_reads_back_as_itself(ClosedCart cart, CartCommand[] attempts) =>
        Mismatched(CartRun.From(cart.State, toSeq(attempts)));

    private static Property Mismatched(CartRun run)
    {
        var errors = run.Steps.Choose(step => step.Decision.Match(Left: error => Some(error), Right: _ => None));
        var offending = errors.Find(error => CartErrorJson.Deserialize(CartErrorJson.Serialize(error)) != Some(error));
        return offending.IsNone.Label($"{offending} read back as {offending.Map(e => CartErrorJson.Deserialize(CartErrorJson.Serialize(e)))}");
    }
}
