using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.EventStore;

/// <summary>What the store accepts as a stream id: 1 to 256 characters, none of them a control character.</summary>
public static class StreamIds
{
    public const int MaxLength = 256;

    public static Option<string> Problem(string? streamId) =>
        string.IsNullOrEmpty(streamId) ? Some("A stream id must not be empty.")
        : streamId.Length > MaxLength ? Some($"A stream id must be at most {MaxLength} characters.")
        : streamId.Any(char.IsControl) ? Some("A stream id must not contain control characters.")
        : None;
}
