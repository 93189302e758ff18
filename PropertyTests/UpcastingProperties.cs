using System.Text.Json.Nodes;
using CartGraph.Domain;
using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using static CartGraph.Domain.Carts.CartEvent;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>
/// Upcasting preserves meaning: a cart's events as an older writer stored them (schema version 0, an item's price as
/// <c>price</c>) fold, once read, into the very state their today's shape folds into.
/// </summary>
[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 1000)]
public static class UpcastingProperties
{
    private delegate Either<UnreadableEvent, Option<CartEvent>> Reader(string type, string schemaVersion, string json);

    [Property]
    public static Property Upcasting_version_0_events_then_folding_equals_folding_the_events_written_today(DecidedEvents history)
    {
        var difference = Difference(history.Events, CartEventJson.Codec.Deserialize.Invoke);
        return difference.IsNone.Label(difference.IfNone(""));
    }

    /// <summary>The property can fail: an upcaster that drops a price's cents is refuted by the generated carts.</summary>
    [Fact]
    public static void The_property_refutes_an_upcaster_that_loses_the_cents_of_a_price()
    {
        Reader losingCents = (type, version, json) => CartEventJson.Codec.Deserialize(type, version, json)
            .Map(read => read.Map(e => e is ItemAddedToCart added && version == "0"
                ? new ItemAddedToCart(added.Item with { UnitPrice = decimal.Truncate(added.Item.UnitPrice) })
                : e));
        var histories = CartGenerators.DecidedEventSequences().Generator.Sample(30, 200);

        Assert.Contains(histories, history => Difference(history.Events, losingCents).IsSome);
        Assert.DoesNotContain(histories, history => Difference(history.Events, CartEventJson.Codec.Deserialize.Invoke).IsSome);
    }

    /// <summary>How folding the events read back from version 0 differs from folding them as decided; None when alike.</summary>
    private static Option<string> Difference(Seq<CartEvent> events, Reader read) =>
        events.Map(WrittenAsVersion0)
            .Map(stored => read(stored.Type, "0", stored.Json)
                .Bind(known => known.ToEither(new UnreadableEvent($"{stored.Type} reads as no cart event"))))
            .Sequence()
            .Match(
                upcast => Cart.Decider.Fold(upcast) is var state && Cart.Decider.Fold(events) is var expected && !state.Equals(expected)
                    ? Some($"version 0 folds into {state}, today's events into {expected}")
                    : None,
                unreadable => Some($"a version 0 event is unreadable: {unreadable.Reason}"));

    /// <summary>
    /// What a version 0 writer stored, written here by hand rather than by the codec: the seed's command field names
    /// (<c>price</c>); every other event had today's shape already.
    /// </summary>
    private static (string Type, string Json) WrittenAsVersion0(CartEvent @event) => @event switch
    {
        ItemAddedToCart added => (nameof(ItemAddedToCart), new JsonObject
        {
            ["item"] = new JsonObject
            {
                ["sku"] = added.Item.Sku,
                ["name"] = added.Item.Name,
                ["quantity"] = added.Item.Quantity,
                ["price"] = added.Item.UnitPrice,
            },
        }.ToJsonString()),
        _ => (CartEventJson.Codec.TypeOf(@event), CartEventJson.Codec.Serialize(@event)),
    };
}
