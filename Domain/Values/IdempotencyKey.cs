using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Values;

/// <summary>A client's name for one command, so that sending it again does it once: 1–128 printable characters.</summary>
public sealed record IdempotencyKey
{
    public const int MaxLength = 128;

    private IdempotencyKey(string value) => Value = value;

    public string Value { get; }

    /// <summary>None when the client gave no key; an empty, too long or unprintable key is invalid.</summary>
    public static Validation<InvalidInput, Option<IdempotencyKey>> Create(string? raw, string field = "idempotencyKey")
    {
        if (raw is null) return Success<InvalidInput, Option<IdempotencyKey>>(None);
        if (raw.Length == 0) return Fail<InvalidInput, Option<IdempotencyKey>>(new InvalidInput(field, "must not be empty"));
        return Text.Bounded(raw, field, MaxLength).Map(valid => Some(new IdempotencyKey(valid)));
    }

    public override string ToString() => Value;
}
