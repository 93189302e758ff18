using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Values;

/// <summary>Checks shared by the bounded text values: present, short enough, printable.</summary>
internal static class Text
{
    public static Validation<InvalidInput, string> Bounded(string? raw, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return Fail<InvalidInput, string>(new InvalidInput(field, "must not be empty"));
        if (raw.Length > maxLength)
            return Fail<InvalidInput, string>(new InvalidInput(field, $"must be at most {maxLength} characters"));
        if (raw.Any(char.IsControl))
            return Fail<InvalidInput, string>(new InvalidInput(field, "must not contain control characters"));
        return Success<InvalidInput, string>(raw);
    }
}
