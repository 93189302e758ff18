using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Values;

/// <summary>Checks shared by the bounded text values: present, short enough, printable, well-formed.</summary>
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
        // A lone surrogate is not text: JSON would store it as U+FFFD, and the event would read back changed.
        if (!IsWellFormed(raw))
            return Fail<InvalidInput, string>(new InvalidInput(field, "must be well-formed Unicode"));
        return Success<InvalidInput, string>(raw);
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }
        return true;
    }
}
