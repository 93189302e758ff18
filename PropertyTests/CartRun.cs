using CartGraph.Domain.Carts;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>One command decided in a state, and the state its events evolved to (unchanged when rejected).</summary>
public sealed record CartStep(
    CartState Before, CartCommand Command, Either<CartError, Seq<CartEvent>> Decision, CartState After)
{
    public Seq<CartEvent> Events => Decision.Match(Right: events => events, Left: _ => Seq<CartEvent>());
}

/// <summary>
/// Commands applied one by one through Decide, then Evolve on each event, exactly as the shell does;
/// rejected commands are skipped.
/// </summary>
/// <remarks>Uses Decide and Evolve directly, not the decider's Fold, so replay can be checked against it.</remarks>
public sealed record CartRun(CartState Start, Seq<CartStep> Steps)
{
    public CartState Final => Steps.IsEmpty ? Start : Steps.Last.After;

    public Seq<CartState> States => Start.Cons(Steps.Map(step => step.After));

    public Seq<CartEvent> Events => Steps.Bind(step => step.Events);

    public static CartRun Of(Seq<CartCommand> commands) => From(Cart.Decider.Initial, commands);

    public static CartRun From(CartState start, Seq<CartCommand> commands) =>
        new(start, commands.Fold(Seq<CartStep>(), (steps, command) =>
            steps.Add(Step(steps.IsEmpty ? start : steps.Last.After, command))));

    private static CartStep Step(CartState before, CartCommand command)
    {
        var decision = Cart.Decider.Decide(command, before);
        var after = decision.Match(Right: events => events.Fold(before, Cart.Decider.Evolve), Left: _ => before);
        return new CartStep(before, command, decision, after);
    }
}
