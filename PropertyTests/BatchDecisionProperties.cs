using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.CommandHandling;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>
/// The shell decides the commands waiting on a stream as one batch; that must be exactly what deciding them one at a
/// time, each on what the one before left, would give: the same outcome for each, the same events, state and version.
/// </summary>
[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 500)]
public static class BatchDecisionProperties
{
    [Property]
    public static Property Deciding_a_batch_in_order_equals_deciding_its_commands_one_by_one(CommandScript script, PositiveInt seed)
    {
        var commands = WithExpectedVersions(script.Commands, seed.Get);
        var batch = BatchDecision.Decide(Cart.Decider, Cart.Decider.Initial, 0, commands);

        var (state, version, events) = (Cart.Decider.Initial, 0L, Seq<CartEvent>());
        var alone = new List<Decision<CartEvent, CartState, CartError>>();
        foreach (var command in commands)
        {
            var single = BatchDecision.Decide(Cart.Decider, state, version, [command]);
            alone.Add(single.Decisions.Single());
            (state, version, events) = (single.State, single.Version, events + single.Events);
        }

        return (batch.Decisions.SequenceEqual(alone) && batch.Events == events && batch.State == state && batch.Version == version)
            .Label($"batch: {batch}{Environment.NewLine}one by one: {string.Join("; ", alone)} -> {state} at {version}");
    }

    [Property]
    public static Property A_batch_records_exactly_what_the_decider_decides_and_its_versions_follow_on(CommandScript script, PositiveInt seed)
    {
        var commands = WithExpectedVersions(script.Commands, seed.Get);
        var batch = BatchDecision.Decide(Cart.Decider, Cart.Decider.Initial, 0, commands);

        var (state, version, offending) = (Cart.Decider.Initial, 0L, Option<string>.None);
        foreach (var ((command, expected), decision) in commands.Zip(batch.Decisions))
        {
            var direct = expected.Exists(e => e != version) ? None : Some(Cart.Decider.Decide(command, state));
            var agrees = (direct.Case, decision) switch
            {
                (null, Decision<CartEvent, CartState, CartError>.Unexpected u) => u.Expected == expected.IfNone(-1) && u.Actual == version,
                (Either<CartError, Seq<CartEvent>> d, Decision<CartEvent, CartState, CartError>.Rejected r) => d.IsLeft && d.LeftToSeq().Head == r.Error,
                (Either<CartError, Seq<CartEvent>> d, Decision<CartEvent, CartState, CartError>.Accepted a) =>
                    d.Exists(events => events == a.Events && a.Version == version + events.Count && a.State == Cart.Decider.Fold(state, events)),
                _ => false,
            };
            if (!agrees && offending.IsNone) offending = Some($"{command} (expected {expected}) at {version}: {decision}");
            if (decision is Decision<CartEvent, CartState, CartError>.Accepted accepted) (state, version) = (accepted.State, accepted.Version);
        }

        return (offending.IsNone && Cart.Decider.Fold(batch.Events) == batch.State && batch.Version == batch.Events.Count)
            .Label($"offending: {offending}; batch: {batch}");
    }

    /// <summary>About one command in three names an expected version, near the stream's: right at times, stale at others.</summary>
    private static (CartCommand Command, Option<long> ExpectedVersion)[] WithExpectedVersions(Seq<CartCommand> commands, int seed)
    {
        var random = new Random(seed);
        return commands.Select((command, index) =>
            (command, random.Next(3) == 0 ? Some((long)Math.Max(0, index - random.Next(3))) : Option<long>.None)).ToArray();
    }
}
