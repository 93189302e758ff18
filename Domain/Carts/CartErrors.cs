using static CartGraph.Domain.Carts.CartCommand;
using static CartGraph.Domain.Carts.CartError;

namespace CartGraph.Domain.Carts;

/// <summary>
/// Which errors <see cref="Cart.Decide"/> can answer each command with: what a caller of the command must be ready for
/// (each GraphQL mutation's error union holds them). A property test checks Decide against this table, and a spec each
/// mutation's union against it, so a rule that gains an error shows in both.
/// </summary>
public static class CartErrors
{
    private static readonly IReadOnlyDictionary<Type, IReadOnlyList<Type>> ByCommand = new Dictionary<Type, IReadOnlyList<Type>>
    {
        [typeof(CreateCart)] = [typeof(CartAlreadyExists), typeof(CartClosed)],
        [typeof(AddItemToCart)] =
            [typeof(CartNotFound), typeof(CartClosed), typeof(ItemDetailsMismatch), typeof(QuantityLimitExceeded), typeof(TooManyItems)],
        [typeof(RemoveItemFromCart)] = [typeof(CartNotFound), typeof(CartClosed), typeof(ItemNotInCart), typeof(InsufficientQuantity)],
        [typeof(EmptyCart)] = [typeof(CartNotFound), typeof(CartClosed)],
        [typeof(CheckOutCart)] = [typeof(CartNotFound), typeof(CartClosed), typeof(CartIsEmpty), typeof(TotalMismatch)],
        [typeof(CancelCart)] = [typeof(CartNotFound), typeof(CartClosed)],
    };

    /// <summary>The commands the table covers: every case of <see cref="CartCommand"/>.</summary>
    public static IEnumerable<Type> Commands => ByCommand.Keys;

    /// <summary>The <see cref="CartError"/> cases Decide can answer a command of this type with; none for a type it does not know.</summary>
    public static IReadOnlyList<Type> Of(Type command) => ByCommand.TryGetValue(command, out var errors) ? errors : [];
}
