using CartGraph.Domain.Carts;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

/// <summary>No change to a checked-out or cancelled cart, whatever the command.</summary>
public sealed class ClosedCartSpecs
{
    public static TheoryData<string> Commands => new() { "create", "add", "remove", "empty", "checkout", "cancel" };

    private static CartCommand Command(string name) => name switch
    {
        "create" => Create(),
        "add" => AddItem("SKU-123", 1, 25),
        "remove" => RemoveItem("SKU-123", 1),
        "empty" => Empty(),
        "checkout" => CheckOut("order-2"),
        _ => Cancel(),
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_checked_out_cart_rejects_every_command(string command) =>
        Given(Created(), Added("SKU-123", 2, 25), CheckedOut("order-1", 50))
            .When(Command(command))
            .ThenFails(new CartError.CartClosed(CartStatus.CheckedOut));

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_cancelled_cart_rejects_every_command(string command) =>
        Given(Created(), Added("SKU-123", 2, 25), Cancelled("abandoned"))
            .When(Command(command))
            .ThenFails(new CartError.CartClosed(CartStatus.Cancelled));
}
