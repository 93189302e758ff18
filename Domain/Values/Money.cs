using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Values;

/// <summary>An amount of money: not negative, at most 2 decimals, bounded so that no cart total can overflow.</summary>
public sealed record Money
{
    /// <summary>The largest unit price.</summary>
    public const decimal MaxUnitPrice = 1_000_000m;

    /// <summary>The largest cart total: every sku at the largest quantity and unit price.</summary>
    public const decimal MaxTotal = 1_000_000_000_000m;

    private Money(decimal amount) => Amount = amount;

    public decimal Amount { get; }

    public static Validation<InvalidInput, Money> UnitPrice(decimal raw, string field = "unitPrice") => Create(raw, field, MaxUnitPrice);

    public static Validation<InvalidInput, Money> Total(decimal raw, string field = "total") => Create(raw, field, MaxTotal);

    private static Validation<InvalidInput, Money> Create(decimal raw, string field, decimal max) =>
        raw < 0 ? Fail<InvalidInput, Money>(new InvalidInput(field, "must not be negative"))
        : raw > max ? Fail<InvalidInput, Money>(new InvalidInput(field, $"must be at most {max:0}"))
        : decimal.Round(raw, 2) != raw ? Fail<InvalidInput, Money>(new InvalidInput(field, "must have at most 2 decimals"))
        : Success<InvalidInput, Money>(new Money(Normalize(raw)));

    /// <summary>
    /// Drops trailing zeros (25.00 becomes 25), so the same amount always serializes the same way.
    /// </summary>
    public static decimal Normalize(decimal amount) => amount / 1.0000000000000000000000000000m;

    public override string ToString() => Amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
