using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Values;

/// <summary>An amount of money: not negative, at most 2 decimals, at most 1 000 000 000.</summary>
public sealed record Money
{
    public const decimal Max = 1_000_000_000m;

    private Money(decimal amount) => Amount = amount;

    public decimal Amount { get; }

    public static Validation<InvalidInput, Money> Create(decimal raw, string field) =>
        raw < 0 ? Fail<InvalidInput, Money>(new InvalidInput(field, "must not be negative"))
        : raw > Max ? Fail<InvalidInput, Money>(new InvalidInput(field, $"must be at most {Max:0}"))
        : decimal.Round(raw, 2) != raw ? Fail<InvalidInput, Money>(new InvalidInput(field, "must have at most 2 decimals"))
        : Success<InvalidInput, Money>(new Money(Normalize(raw)));

    /// <summary>
    /// Drops trailing zeros (25.00 becomes 25), so the same amount always serializes the same way.
    /// </summary>
    public static decimal Normalize(decimal amount) => amount / 1.0000000000000000000000000000m;

    public override string ToString() => Amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
