namespace CartGraph.Domain.Carts;

/// <summary>Why the decider rejected a command: every business rule has its own case.</summary>
public abstract record CartError
{
    private CartError() { }

    public abstract string Code { get; }
    public abstract string Message { get; }

    public sealed record CartNotFound : CartError
    {
        public override string Code => "CART_NOT_FOUND";
        public override string Message => "The cart does not exist.";
    }

    public sealed record CartAlreadyExists : CartError
    {
        public override string Code => "CART_ALREADY_EXISTS";
        public override string Message => "A cart with this id already exists.";
    }

    /// <summary>A checked-out or cancelled cart accepts no command.</summary>
    public sealed record CartClosed(CartStatus Status) : CartError
    {
        public override string Code => "CART_CLOSED";
        public override string Message => Status == CartStatus.CheckedOut
            ? "The cart is checked out and can no longer change."
            : "The cart is cancelled and can no longer change.";
    }

    public sealed record ItemNotInCart(string Sku) : CartError
    {
        public override string Code => "ITEM_NOT_IN_CART";
        public override string Message => $"The cart holds no item with sku '{Sku}'.";
    }

    public sealed record InsufficientQuantity(string Sku, int Requested, int Available) : CartError
    {
        public override string Code => "INSUFFICIENT_QUANTITY";
        public override string Message =>
            $"Cannot remove {Requested} of sku '{Sku}': the cart holds {Available}.";
    }

    /// <summary>The same sku must keep the same name and unit price within one cart.</summary>
    public sealed record ItemDetailsMismatch(string Sku, string ExistingName, decimal ExistingUnitPrice) : CartError
    {
        public override string Code => "ITEM_DETAILS_MISMATCH";
        public override string Message =>
            $"Sku '{Sku}' is already in the cart as '{ExistingName}' at {ExistingUnitPrice}; add it with the same name and unit price.";
    }

    public sealed record QuantityLimitExceeded(string Sku, int Limit) : CartError
    {
        public override string Code => "QUANTITY_LIMIT_EXCEEDED";
        public override string Message => $"A cart can hold at most {Limit} units of sku '{Sku}'.";
    }

    public sealed record TooManyItems(int Limit) : CartError
    {
        public override string Code => "TOO_MANY_ITEMS";
        public override string Message => $"A cart can hold at most {Limit} different skus.";
    }

    public sealed record CartIsEmpty : CartError
    {
        public override string Code => "CART_IS_EMPTY";
        public override string Message => "An empty cart cannot be checked out.";
    }

    public sealed record TotalMismatch(decimal Expected, decimal Given) : CartError
    {
        public override string Code => "TOTAL_MISMATCH";
        public override string Message => $"The checkout total {Given} does not match the cart's total {Expected}.";
    }

    /// <summary>A (state, command) pair no rule covers; unreachable while every case is handled.</summary>
    public sealed record UnsupportedCommand(string State, string Command) : CartError
    {
        public override string Code => "UNSUPPORTED_COMMAND";
        public override string Message => $"{Command} is not supported in state {State}.";
    }
}
