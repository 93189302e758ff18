using System.Text.Json;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// A command's idempotency key and a fingerprint of its input (the caller says what "the same input" is). The events
/// of the first command with the key carry both: its message ids are <c>key:1</c>, <c>key:2</c>... (unique in the
/// stream, so the store itself refuses them twice) and its metadata holds the key, the fingerprint and its event count.
/// </summary>
public sealed record Idempotency(IdempotencyKey Key, string Fingerprint)
{
    /// <summary>The id of the command's <paramref name="ordinal"/>th event (from 1); the text after the last colon is the ordinal, so no two keys share an id.</summary>
    public string MessageId(int ordinal) => $"{Key.Value}:{ordinal}";

    /// <summary>What the events of the command record of it.</summary>
    public MessageContext Recorded(MessageContext context, int events) =>
        context with { IdempotencyKey = Key.Value, InputFingerprint = Fingerprint, CommandEvents = events };
}

/// <summary>Where an earlier command with a key left the stream, as its first event records it.</summary>
internal sealed record KeyedOutcome(string Key, string Fingerprint, long FirstPosition, long Version, long FirstGlobalPosition)
{
    /// <summary>A command accepted with nothing to change at <paramref name="version"/>: no event, no position.</summary>
    public static KeyedOutcome Eventless(string key, string fingerprint, long version) => new(key, fingerprint, version + 1, version, 0);

    /// <summary>From the first event of the command (its metadata says how many it appended); null if it carries no key.</summary>
    public static KeyedOutcome? Of(RecordedMessage first)
    {
        using var metadata = JsonDocument.Parse(first.Metadata);
        var root = metadata.RootElement;
        if (!root.TryGetProperty("inputFingerprint", out var fingerprint)) return null;
        var events = root.TryGetProperty("commandEvents", out var count) ? count.GetInt32() : 1;
        var last = first.StreamPosition + events - 1;
        return new KeyedOutcome(first.MessageId[..first.MessageId.LastIndexOf(':')], fingerprint.GetString() ?? "",
            first.StreamPosition, last, first.GlobalPosition);
    }
}
