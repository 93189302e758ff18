using LanguageExt;

namespace CartGraph.PropertyTests;

/// <summary>Raw input together with the fields the generator made invalid, so a property knows which problems to expect.</summary>
public sealed record RawCommandWithInvalidFields(RawCommand Command, Seq<string> InvalidFields);
