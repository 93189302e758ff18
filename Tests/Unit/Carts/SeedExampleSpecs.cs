using System.Text.Json.Nodes;
using CartGraph.Domain.Carts;
using LanguageExt;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

/// <summary>The seed's data example: five steps, exactly the seed's events and payloads.</summary>
public sealed class SeedExampleSpecs
{
    private const string OrderId = SeedExample.OrderId;

    private static readonly (string Type, string Data)[] SeedMessages = SeedExample.Messages;

    private static (Seq<CartEvent> Events, CartState State) RunSeedSteps()
    {
        CartCommand[] steps =
        [
            Create("USD"),
            AddItem("SKU-123", 2, 25, "Item 123"),
            AddItem("SKU-456", 1, 15, "Item 456"),
            RemoveItem("SKU-123", 1),
            CheckOut(OrderId),
        ];
        return steps.Aggregate(
            (Events: LanguageExt.Seq<CartEvent>.Empty, State: Cart.Decider.Initial),
            (acc, command) => Cart.Decider.Apply(command, acc.State).Match(
                Right: step => (acc.Events + step.Events, step.State),
                Left: error => throw new InvalidOperationException(error.Message)));
    }

    [Fact]
    public void The_five_steps_give_exactly_the_seeds_events_and_payloads()
    {
        var (events, _) = RunSeedSteps();
        var stored = events.Map(e => (CartEventJson.TypeOf(e), CartEventJson.Serialize(e))).ToArray();

        Assert.Equal(SeedMessages.Select(m => m.Type), stored.Select(m => m.Item1));
        foreach (var (expected, actual) in SeedMessages.Zip(stored))
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.Data), JsonNode.Parse(actual.Item2)),
                $"{expected.Type}: expected {expected.Data}, stored {actual.Item2}");
    }

    [Fact]
    public void The_five_steps_leave_a_checked_out_cart_with_total_40()
    {
        var (_, state) = RunSeedSteps();
        var cart = Assert.IsType<CartState.CheckedOutCart>(state);
        Assert.Equal(40m, cart.Total);
        Assert.Equal(OrderId, cart.OrderId);
        Assert.Equal("USD", cart.Currency);
        Assert.Equal(
            [new CartItem("SKU-123", "Item 123", 1, 25), new CartItem("SKU-456", "Item 456", 1, 15)],
            cart.Items.Lines.ToArray());
    }

    [Fact]
    public void The_seeds_stored_messages_read_back_as_the_same_cart()
    {
        var events = SeedMessages.Select(m => CartEventJson.Deserialize(m.Type, m.Data))
            .Select(e => e.Match(known => known.IfNone(() => throw new InvalidOperationException("unknown type")),
                unreadable => throw new InvalidOperationException(unreadable.Reason)));
        Assert.Equal(RunSeedSteps().State, Cart.Decider.Fold(events));
    }
}
