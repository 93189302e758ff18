using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// A script of writers racing on a few carts, and of processor batches in between: writers that hold a transaction
/// open (taking its id first or not) and append with Emmett's function, with or without an expected position; appends
/// of their own through the store, with an exact, any or existing-stream expectation; commits, rollbacks.
/// </summary>
public sealed record Interleaving(int BatchSize, IReadOnlyList<Interleaving.Step> Steps)
{
    public const int Writers = 3;
    public const int CartCount = 3;

    public abstract record Step
    {
        private Step() { }

        public sealed record Begin(int Writer, bool TakeIdFirst) : Step;

        /// <summary><c>emt_append_to_stream</c> in the writer's transaction (begun if need be): at the position it sees, or NULL.</summary>
        public sealed record AppendInTransaction(int Writer, int Cart, bool Exact) : Step;

        /// <summary><c>EventStore.AppendAsync</c>, a transaction of its own.</summary>
        public sealed record AppendAlone(int Cart, Expectation Expected) : Step;

        public sealed record Commit(int Writer) : Step;

        public sealed record Rollback(int Writer) : Step;

        public sealed record ProcessBatch : Step;
    }

    public enum Expectation { Exact, Any, StreamExists }

    /// <summary>The event the step at <paramref name="index"/> appends: items mostly, an emptied cart now and then, so order shows.</summary>
    public static CartEvent EventAt(int index) => index % 5 == 4
        ? new CartEvent.CartEmptied()
        : new CartEvent.ItemAddedToCart(new CartItem($"S{index % 3}", $"Item S{index % 3}", index % 4 + 1, 1m));

    public override string ToString() => $"batch {BatchSize}: {string.Join(", ", Steps)}";
}

/// <summary>The generator of <see cref="Interleaving"/> scripts, and how a failing one shrinks.</summary>
public static class Interleavings
{
    public static Arbitrary<Interleaving> Scripts() => Arb.From(AnyScript, Shrink);

    private static Gen<int> Writer => Gen.Choose(0, Interleaving.Writers - 1);
    private static Gen<int> Cart => Gen.Choose(0, Interleaving.CartCount - 1);

    private static Gen<Interleaving.Step> AnyStep => Gen.Frequency(
        (3, from w in Writer from first in Gen.Elements(true, false) select (Interleaving.Step)new Interleaving.Step.Begin(w, first)),
        (6, from w in Writer from c in Cart from exact in Gen.Elements(true, false)
            select (Interleaving.Step)new Interleaving.Step.AppendInTransaction(w, c, exact)),
        (4, from c in Cart from e in Gen.Elements(Interleaving.Expectation.Exact, Interleaving.Expectation.Any, Interleaving.Expectation.StreamExists)
            select (Interleaving.Step)new Interleaving.Step.AppendAlone(c, e)),
        (3, Writer.Select(w => (Interleaving.Step)new Interleaving.Step.Commit(w))),
        (1, Writer.Select(w => (Interleaving.Step)new Interleaving.Step.Rollback(w))),
        (3, Gen.Constant((Interleaving.Step)new Interleaving.Step.ProcessBatch())));

    private static Gen<Interleaving> AnyScript =>
        from batchSize in Gen.Elements(1, 2, 3, 1_000)
        from length in Gen.Choose(4, 40)
        from steps in AnyStep.ListOf(length)
        select new Interleaving(batchSize, steps.ToList());

    private static IEnumerable<Interleaving> Shrink(Interleaving script)
    {
        if (script.BatchSize != 1) yield return script with { BatchSize = 1 };
        for (var i = 0; i < script.Steps.Count; i++)
            yield return script with { Steps = script.Steps.Where((_, j) => j != i).ToList() };
    }
}
