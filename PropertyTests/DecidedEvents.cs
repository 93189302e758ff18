using CartGraph.Domain.Carts;
using LanguageExt;

namespace CartGraph.PropertyTests;

/// <summary>The events Decide produced for a script, in order: what the cart's stream would hold.</summary>
public sealed record DecidedEvents(CommandScript Script, Seq<CartEvent> Events)
{
    public static DecidedEvents Of(CommandScript script) => new(script, CartRun.Of(script.Commands).Events);
}
