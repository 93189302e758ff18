using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Values;

/// <summary>An ISO-4217-shaped code: exactly three upper-case letters.</summary>
public sealed record Currency
{
    private Currency(string code) => Code = code;

    public string Code { get; }

    public static Validation<InvalidInput, Currency> Create(string? raw, string field = "currency") =>
        raw is { Length: 3 } && raw.All(c => c is >= 'A' and <= 'Z')
            ? Success<InvalidInput, Currency>(new Currency(raw))
            : Fail<InvalidInput, Currency>(new InvalidInput(field, "must be three upper-case letters, like USD"));

    public override string ToString() => Code;
}
