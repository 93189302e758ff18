using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Values;

/// <summary>A count of units: 1 to 10 000, so a cart's total can never overflow.</summary>
public sealed record Quantity
{
    public const int Min = 1;
    public const int Max = 10_000;

    private Quantity(int value) => Value = value;

    public int Value { get; }

    public static Validation<InvalidInput, Quantity> Create(long raw, string field = "quantity") =>
        raw is >= Min and <= Max
            ? Success<InvalidInput, Quantity>(new Quantity((int)raw))
            : Fail<InvalidInput, Quantity>(new InvalidInput(field,
                raw < Min ? "must be positive" : $"must be at most {Max}"));

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
