using CartGraph.Domain;
using LanguageExt;

namespace CartGraph.Tests.Specification;

/// <summary>
/// Given/When/Then over any decider: <c>Given(events).When(command).Then(events)</c>,
/// <c>.ThenFails(error)</c> or <c>.ThenNothingHappened()</c>.
/// </summary>
public sealed record DeciderSpecification<TCommand, TEvent, TState, TError>(
    Decider<TCommand, TEvent, TState, TError> Decider)
{
    public WhenStep Given(params TEvent[] events) => new(this, events);

    public sealed record WhenStep(DeciderSpecification<TCommand, TEvent, TState, TError> Spec, TEvent[] History)
    {
        public ThenStep When(TCommand command) =>
            new(Spec.Decider.Decide(command, Spec.Decider.Fold(History)));
    }

    public sealed record ThenStep(Either<TError, Seq<TEvent>> Outcome)
    {
        public void Then(params TEvent[] expected) =>
            Outcome.Match(
                Right: events => Assert.Equal(expected, events.ToArray()),
                Left: error => Assert.Fail($"Expected events [{string.Join(", ", expected)}] but the command failed with {error}."));

        public void ThenFails(TError expected) =>
            Outcome.Match(
                Right: events => Assert.Fail($"Expected {expected} but the command produced [{string.Join(", ", events)}]."),
                Left: error => Assert.Equal(expected, error));

        public void ThenNothingHappened() =>
            Outcome.Match(
                Right: events => Assert.Empty(events),
                Left: error => Assert.Fail($"Expected no events but the command failed with {error}."));
    }
}
