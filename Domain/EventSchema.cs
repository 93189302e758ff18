using System.Collections.Immutable;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain;

/// <summary>
/// Every stored schema version of an aggregate's events, and how each reads as today's event. Today's version reads
/// today's shape; an older version reads its own shape (a record of its own) and upcasts it, one typed step per version
/// (<see cref="Upcasting.Then{TOld, TNext}"/>), to today's event. Writes always use <see cref="Current"/>.
/// </summary>
public sealed record EventSchema<TEvent>
{
    private readonly ImmutableSortedDictionary<string, ImmutableDictionary<string, Func<string, TEvent>>> versions;

    private EventSchema(string current, ImmutableSortedDictionary<string, ImmutableDictionary<string, Func<string, TEvent>>> versions) =>
        (Current, this.versions) = (current, versions);

    /// <summary>A schema whose current version reads each type with its reader (type → stored data → event).</summary>
    public static EventSchema<TEvent> Of(string current, IReadOnlyDictionary<string, Func<string, TEvent>> readers) =>
        new(current, ImmutableSortedDictionary.Create<string, ImmutableDictionary<string, Func<string, TEvent>>>(StringComparer.Ordinal)
            .Add(current, readers.ToImmutableDictionary()));

    /// <summary>The <c>message_schema_version</c> that writes use.</summary>
    public string Current { get; }

    /// <summary>Also reads an older version: each of its types with a reader that ends in today's event.</summary>
    public EventSchema<TEvent> WithOlder(string version, IReadOnlyDictionary<string, Func<string, TEvent>> readers) =>
        version == Current || versions.ContainsKey(version)
            ? throw new ArgumentException($"Schema version '{version}' is declared twice.", nameof(version))
            : new(Current, versions.Add(version, readers.ToImmutableDictionary()));

    /// <summary>
    /// An event from its stored type, schema version and data: None for a type no version knows; an
    /// <see cref="UnreadableEvent"/> for a known type under a version no reader knows, or whose data is not that version's shape.
    /// </summary>
    public Either<UnreadableEvent, Option<TEvent>> Read(string type, string version, string json)
    {
        if (!versions.Values.Any(readers => readers.ContainsKey(type))) return Right(Option<TEvent>.None);
        if (!versions.TryGetValue(version, out var readers) || !readers.TryGetValue(type, out var read))
            return Left(new UnreadableEvent(
                $"{type} of schema version '{version}' is unknown to this version, which reads versions {string.Join(", ", versions.Keys.Where(v => versions[v].ContainsKey(type)))}."));
        try
        {
            return Right(Some(read(json)));
        }
        catch (JsonException e)
        {
            var which = version == Current ? "" : $" of schema version '{version}'";
            return Left(new UnreadableEvent($"{type} data{which} is not its shape: {e.Message}"));
        }
    }
}

/// <summary>How an older shape becomes the next one: the steps of an upcaster chain, each a pure, typed function.</summary>
public static class Upcasting
{
    /// <summary>Reads a stored shape, then upcasts it one version: <c>readV0.Then(V0.ToV1).Then(V1.ToV2)</c>.</summary>
    public static Func<string, TNext> Then<TOld, TNext>(this Func<string, TOld> read, Func<TOld, TNext> upcast) =>
        json => upcast(read(json));
}
