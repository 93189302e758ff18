using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using static CartGraph.Domain.Carts.CartState;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

/// <summary>
/// Every generator of the property tests. Raw values come from small pools, so adds merge, removes hit existing
/// lines, quantities reach the limits and checkouts come with and without the cart's total; a few are invalid
/// or arbitrary text. Commands are only ever built through <see cref="CartCommands"/>.
/// </summary>
public static class CartGenerators
{
    // ---- Arbitraries: register with [Properties(Arbitrary = new[] { typeof(CartGenerators) })] ----

    public static Arbitrary<RawCommandWithInvalidFields> RawCommandsWithInvalidFields() => Arb.From(AnyRawCommand);

    public static Arbitrary<CartCommand> Commands() => Arb.From(AnyCommand);

    public static Arbitrary<CommandScript> Scripts() => Arb.From(AnyScript, ShrinkScript);

    public static Arbitrary<ClosedCart> ClosedCarts() => Arb.From(AnyClosedCart, ShrinkClosedCart);

    public static Arbitrary<DecidedEvents> DecidedEventSequences() =>
        Arb.From(AnyScript.Select(DecidedEvents.Of), history => ShrinkScript(history.Script).Select(DecidedEvents.Of));

    // ---- Raw values ----

    private sealed record CatalogueItem(string Sku, string Name, decimal UnitPrice);

    // Few skus, so that adds merge into the same line and removes find it.
    private static Gen<CatalogueItem> CatalogueItems => Gen.Frequency(
        (30, Gen.Elements(
            new CatalogueItem("SKU-123", "Item 123", 25m),
            new CatalogueItem("SKU-456", "Item 456", 15m),
            new CatalogueItem("SKU-789", "Item 789", 0.99m),
            new CatalogueItem("SKU-000", "Free sample", 0m))),
        (1, from sku in ValidText(Sku.MaxLength, "SKU-123")
            from unitPrice in ValidMoney
            select new CatalogueItem(sku, $"Item {sku}", unitPrice)));

    private static Gen<string> ValidText(int maxLength, params string[] usual) => Gen.Frequency(
        (16, Gen.Elements(usual)),
        (2, Gen.Elements(TrickyText(maxLength))),
        (2, ArbitraryText(maxLength)));

    private static string[] TrickyText(int maxLength) =>
    [
        "Ünïcødé 🛒", "quote \" and backslash \\", "<b>&amp;</b>", "  padded  ", "日本語の商品", "zero\u200Bwidth",
        "x", new string('x', maxLength), new string('é', maxLength),
    ];

    // Whatever FsCheck's strings (mostly ASCII) or any UTF-16 code units make that the documented text rules allow.
    private static Gen<string> ArbitraryText(int maxLength) =>
        Gen.OneOf(
                ArbMap.Default.GeneratorFor<string>(),
                Gen.Choose(0x20, 0xFFFF).Select(code => (char)code).ArrayOf().Select(chars => new string(chars)))
            .Where(text => IsValidText(text, maxLength));

    private static bool IsValidText(string? text, int maxLength) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= maxLength && !text.Any(char.IsControl) && IsWellFormed(text);

    // Mirrors the domain's rule: a lone UTF-16 surrogate is not text (JSON would store it as U+FFFD).
    private static bool IsWellFormed(string text) =>
        System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text)) == text;

    private static Gen<string?> InvalidText(int maxLength) =>
        Gen.Elements<string?>(null, "", "   ", "\t", "line\nbreak", "bell\u0007", "nul\0", "lone\uD800", new string('x', maxLength + 1));

    private static Gen<string> ValidTenantIds =>
        Gen.Elements("tenant-1", "acme", "a", "shop_42-eu", new string('t', TenantId.MaxLength));

    private static Gen<string?> InvalidTenantIds =>
        Gen.Elements<string?>(null, "", "Tenant-1", "-tenant", "_tenant", "ten ant", "tenant.1",
            new string('t', TenantId.MaxLength + 1));

    private static Gen<string> ValidCurrencies => Gen.Elements("USD", "EUR", "JPY");

    private static Gen<string?> InvalidCurrencies => Gen.Elements<string?>(null, "", "usd", "US", "USDX", "U$D", "US ");

    private static Gen<decimal> Amounts => Gen.Choose(0, 100_000).Select(cents => cents / 100m);

    private static Gen<decimal> ValidMoney => Gen.Frequency(
        (6, Gen.Elements(25m, 15m, 0.99m, 0m)),
        (3, Amounts),
        (1, Gen.Elements(0.01m, 1.10m, 1.100m, 999_999.99m, Money.MaxUnitPrice)));

    private static Gen<decimal> InvalidUnitPrices =>
        Gen.Elements(-0.01m, -25m, 0.001m, 19.999m, Money.MaxUnitPrice + 0.01m, decimal.MaxValue, decimal.MinValue);

    private static Gen<decimal> InvalidTotals =>
        Gen.Elements(-0.01m, -25m, 0.001m, 19.999m, Money.MaxTotal + 0.01m, decimal.MaxValue, decimal.MinValue);

    private static Gen<int> ValidQuantities => Gen.Frequency(
        (6, Gen.Choose(1, 5)),
        (1, Gen.Elements(Quantity.Min, Quantity.Max)),
        (1, Gen.Choose(Quantity.Min, Quantity.Max)));

    private static Gen<long> InvalidQuantities =>
        Gen.Elements(0L, -1L, Quantity.Max + 1L, int.MaxValue + 1L, long.MinValue, long.MaxValue);

    private static Gen<string> OrderIds => Gen.Frequency(
        (18, Gen.Choose(1, 999_999).Select(n => $"order-{n:D6}")),
        (2, ValidText(OrderId.MaxLength, "38fc43c4-893d-4398-9290-2441490d0545")));

    private static Gen<string> Reasons =>
        ValidText(CancellationReason.MaxLength, "Changed my mind", "Found it cheaper", "Duplicate cart");

    // ---- Raw commands, each field valid or not, for the validation property ----

    private sealed record Field<T>(T Value, Option<string> InvalidName);

    private static Gen<Field<T>> FieldOf<T>(string name, Gen<T> valid, Gen<T> invalid) => Gen.Frequency(
        (3, valid.Select(value => new Field<T>(value, None))),
        (1, invalid.Select(value => new Field<T>(value, Some(name)))));

    private static Gen<Field<string?>> TextField(string name, int maxLength, params string[] usual) =>
        FieldOf(name, ValidText(maxLength, usual).Select(text => (string?)text), InvalidText(maxLength));

    private static Gen<Field<string?>> TenantIdField =>
        FieldOf("tenantId", ValidTenantIds.Select(id => (string?)id), InvalidTenantIds);

    private static Gen<Field<string?>> CartIdField => TextField("cartId", CartId.MaxLength, "cart-1");

    private static Gen<Field<long>> QuantityField(string name) =>
        FieldOf(name, ValidQuantities.Select(quantity => (long)quantity), InvalidQuantities);

    private static Gen<Field<decimal>> MoneyField(string name) => FieldOf(name, ValidMoney, InvalidUnitPrices);

    private static Gen<Field<decimal?>> OptionalMoneyField(string name) => FieldOf(
        name,
        Gen.Frequency((1, Gen.Constant<decimal?>(null)), (2, ValidMoney.Select(amount => (decimal?)amount))),
        InvalidTotals.Select(amount => (decimal?)amount));

    private static RawCommandWithInvalidFields WithInvalid(RawCommand command, params Option<string>[] fields) =>
        new(command, toSeq(fields).Somes());

    private static Gen<RawCommandWithInvalidFields> AnyRawCommand => Gen.OneOf(
        from tenant in TenantIdField
        from cart in CartIdField
        from currency in FieldOf("currency", ValidCurrencies.Select(code => (string?)code), InvalidCurrencies)
        select WithInvalid(new RawCommand.CreateCart(tenant.Value, cart.Value, currency.Value),
            tenant.InvalidName, cart.InvalidName, currency.InvalidName),
        from tenant in TenantIdField
        from cart in CartIdField
        from sku in TextField("item.sku", Sku.MaxLength, "SKU-123", "SKU-456")
        from name in TextField("item.name", ItemName.MaxLength, "Item 123", "Item 456")
        from quantity in QuantityField("item.quantity")
        from unitPrice in MoneyField("item.unitPrice")
        select WithInvalid(
            new RawCommand.AddItemToCart(tenant.Value, cart.Value, sku.Value, name.Value, quantity.Value, unitPrice.Value),
            tenant.InvalidName, cart.InvalidName, sku.InvalidName, name.InvalidName, quantity.InvalidName,
            unitPrice.InvalidName),
        from tenant in TenantIdField
        from cart in CartIdField
        from sku in TextField("sku", Sku.MaxLength, "SKU-123", "SKU-456")
        from quantity in QuantityField("quantity")
        select WithInvalid(new RawCommand.RemoveItemFromCart(tenant.Value, cart.Value, sku.Value, quantity.Value),
            tenant.InvalidName, cart.InvalidName, sku.InvalidName, quantity.InvalidName),
        from tenant in TenantIdField
        from cart in CartIdField
        select WithInvalid(new RawCommand.EmptyCart(tenant.Value, cart.Value), tenant.InvalidName, cart.InvalidName),
        from tenant in TenantIdField
        from cart in CartIdField
        from orderId in TextField("orderId", OrderId.MaxLength, "order-000001")
        from total in OptionalMoneyField("total")
        select WithInvalid(new RawCommand.CheckOutCart(tenant.Value, cart.Value, orderId.Value, total.Value),
            tenant.InvalidName, cart.InvalidName, orderId.InvalidName, total.InvalidName),
        from tenant in TenantIdField
        from cart in CartIdField
        from reason in TextField("reason", CancellationReason.MaxLength, "Changed my mind")
        select WithInvalid(new RawCommand.CancelCart(tenant.Value, cart.Value, reason.Value),
            tenant.InvalidName, cart.InvalidName, reason.InvalidName));

    // ---- Valid commands, built from raw values through the smart constructors ----

    private const string ScriptTenantId = "tenant-1";
    private const string ScriptCartId = "cart-1";

    private static CartCommand Valid(RawCommand raw) =>
        RawCommand.Validate(raw).Match(
            Succ: command => command,
            Fail: problems => throw new InvalidOperationException(
                $"The generator built invalid input {raw}: {string.Join(", ", problems)}"));

    private static Gen<CartCommand> CreateCart =>
        ValidCurrencies.Select(currency => Valid(new RawCommand.CreateCart(ScriptTenantId, ScriptCartId, currency)));

    private static Gen<CartCommand> EmptyCart =>
        Gen.Constant(Valid(new RawCommand.EmptyCart(ScriptTenantId, ScriptCartId)));

    private static Gen<CartCommand> CancelCart =>
        Reasons.Select(reason => Valid(new RawCommand.CancelCart(ScriptTenantId, ScriptCartId, reason)));

    private static Gen<CartCommand> AddItem(CartItems items) =>
        from item in CatalogueItems
        from name in Gen.Frequency((18, Gen.Constant(item.Name)), (2, ValidText(ItemName.MaxLength, "Item 123 (red)")))
        from unitPrice in Gen.Frequency((18, Gen.Constant(item.UnitPrice)), (2, Gen.Elements(25.5m, 0m, Money.MaxUnitPrice)))
        from quantity in AddedQuantity(items.Find(item.Sku).Map(line => line.Quantity).IfNone(0))
        select Valid(new RawCommand.AddItemToCart(ScriptTenantId, ScriptCartId, item.Sku, name, quantity, unitPrice));

    // Mostly a few units; sometimes exactly up to the per-line limit, or one past it.
    private static Gen<int> AddedQuantity(int held) => Gen.Frequency(
        (14, Gen.Choose(1, 3)),
        (2, Gen.Constant(Math.Clamp(Quantity.Max - held, Quantity.Min, Quantity.Max))),
        (2, Gen.Constant(Math.Clamp(Quantity.Max - held + 1, Quantity.Min, Quantity.Max))),
        (2, Gen.Choose(Quantity.Min, Quantity.Max)));

    private static Gen<CartCommand> RemoveItem(CartItems items) =>
        from sku in items.IsEmpty
            ? CatalogueItems.Select(item => item.Sku)
            : Gen.Frequency(
                (4, Gen.Elements(items.Lines.Map(line => line.Sku).ToArray())),
                (1, CatalogueItems.Select(item => item.Sku)))
        from quantity in RemovedQuantity(items.Find(sku).Map(line => line.Quantity).IfNone(0))
        select Valid(new RawCommand.RemoveItemFromCart(ScriptTenantId, ScriptCartId, sku, quantity));

    // Mostly what the line holds or less; sometimes one more than it holds.
    private static Gen<int> RemovedQuantity(int held) => held == 0
        ? Gen.Choose(1, 3)
        : Gen.Frequency(
            (3, Gen.Constant(held)),
            (4, Gen.Choose(1, held)),
            (2, Gen.Constant(Math.Min(held + 1, Quantity.Max))),
            (1, Gen.Choose(1, 3)));

    private static Gen<CartCommand> CheckOut(CartItems items) =>
        from orderId in OrderIds
        from total in CheckOutTotal(CartLines.Total(items.Lines))
        select Valid(new RawCommand.CheckOutCart(ScriptTenantId, ScriptCartId, orderId, total));

    private static Gen<decimal?> CheckOutTotal(decimal cartTotal) => Gen.Frequency(
        (4, Gen.Constant<decimal?>(null)),
        (4, Gen.Constant(AsTotal(cartTotal))),
        (1, Gen.Elements(AsTotal(cartTotal + 0.01m), AsTotal(cartTotal - 0.01m))),
        (1, Amounts.Select(amount => (decimal?)amount)));

    private static decimal? AsTotal(decimal amount) => amount is >= 0 and <= Money.MaxTotal ? amount : null;

    private static Gen<CartCommand> CheckOutWithExactTotal(CartItems items) =>
        OrderIds.Select(orderId => Valid(new RawCommand.CheckOutCart(
            ScriptTenantId, ScriptCartId, orderId, AsTotal(CartLines.Total(items.Lines)))));

    private static Gen<CartCommand> CheckOutWithoutTotal =>
        OrderIds.Select(orderId => Valid(new RawCommand.CheckOutCart(ScriptTenantId, ScriptCartId, orderId, null)));

    // Distinct skus up to the line limit and a little past it.
    private static Gen<Seq<CartCommand>> FillPastTheLineLimit(CartItems items) =>
        Gen.Choose(0, 2).Select(extra => toSeq(
            Enumerable.Range(1, Math.Max(0, Cart.MaxLines - items.Lines.Count) + extra).Select(n =>
                Valid(new RawCommand.AddItemToCart(ScriptTenantId, ScriptCartId, $"BULK-{n:D3}", $"Bulk item {n}", 1, 1m)))));

    private static Gen<CartCommand> AnyCommand => Gen.OneOf(
        CreateCart, AddItem(CartItems.Empty), RemoveItem(CartItems.Empty), EmptyCart, CheckOut(CartItems.Empty),
        CancelCart);

    // ---- Command scripts, generated against the state they reach so that most commands are accepted ----

    private static Gen<int> ScriptLengths => Gen.Sized(size => Gen.Choose(0, size));

    private static Gen<CommandScript> AnyScript =>
        from length in ScriptLengths
        from commands in ScriptFrom(InitCart.Instance, length)
        select new CommandScript(commands);

    private static Gen<Seq<CartCommand>> ScriptFrom(CartState state, int length) => length <= 0
        ? Gen.Constant(Seq<CartCommand>())
        : state is CheckedOutCart or CancelledCart
            // A closed cart rejects everything: a few attempts say as much as many.
            ? from count in Gen.Choose(0, Math.Min(3, length))
              from attempts in AnyCommand.ArrayOf(count)
              select toSeq(attempts)
            : from next in NextCommands(state)
              from rest in ScriptFrom(Reached(state, next), length - 1)
              select next + rest;

    // Only steers what comes next: should Evolve throw, the property running the script reports it, shrunk.
    private static CartState Reached(CartState state, Seq<CartCommand> commands) =>
        Try(() => CartRun.From(state, commands).Final).IfFail(state);

    private static Gen<Seq<CartCommand>> NextCommands(CartState state) => state switch
    {
        InitCart => Gen.Frequency((9, CreateCart), (1, AnyCommand)).Select(Seq1),
        ActiveCart cart => Gen.Frequency(
            (40, AddItem(cart.Items).Select(Seq1)),
            (20, RemoveItem(cart.Items).Select(Seq1)),
            (5, EmptyCart.Select(Seq1)),
            (5, CheckOut(cart.Items).Select(Seq1)),
            (2, CancelCart.Select(Seq1)),
            (2, CreateCart.Select(Seq1)),
            (1, FillPastTheLineLimit(cart.Items))),
        _ => AnyCommand.Select(Seq1),
    };

    // Halves first, then single commands, then simpler values: a counterexample keeps only what makes it fail.
    private static IEnumerable<CommandScript> ShrinkScript(CommandScript script)
    {
        var commands = script.Commands;
        if (commands.Count > 1)
        {
            yield return new CommandScript(commands.Take(commands.Count / 2));
            yield return new CommandScript(commands.Skip(commands.Count / 2));
        }
        for (var index = 0; index < commands.Count; index++)
            yield return new CommandScript(commands.Take(index) + commands.Skip(index + 1));
        for (var index = 0; index < commands.Count; index++)
            foreach (var simpler in Simpler(commands[index]))
                yield return new CommandScript(commands.Take(index) + Seq1(simpler) + commands.Skip(index + 1));
    }

    // The same command with one character less in a text or fewer units, when that is still valid input.
    private static IEnumerable<CartCommand> Simpler(CartCommand command)
    {
        IEnumerable<RawCommand> simpler = RawCommand.From(command) switch
        {
            RawCommand.AddItemToCart raw => OneLess(raw.Name).Select(name => raw with { Name = name })
                .Concat(OneLess(raw.Sku).Select(sku => raw with { Sku = sku }))
                .Concat(Fewer(raw.Quantity).Select(quantity => raw with { Quantity = quantity })),
            RawCommand.RemoveItemFromCart raw => OneLess(raw.Sku).Select(sku => raw with { Sku = sku })
                .Concat(Fewer(raw.Quantity).Select(quantity => raw with { Quantity = quantity })),
            RawCommand.CheckOutCart raw => OneLess(raw.OrderId).Select(orderId => raw with { OrderId = orderId }),
            RawCommand.CancelCart raw => OneLess(raw.Reason).Select(reason => raw with { Reason = reason }),
            _ => [],
        };
        return simpler.SelectMany(raw => RawCommand.Validate(raw).Match(Succ: Seq1, Fail: _ => Seq<CartCommand>()));
    }

    private static IEnumerable<string> OneLess(string? text) =>
        Enumerable.Range(0, text?.Length ?? 0).Select(index => text!.Remove(index, 1));

    private static IEnumerable<long> Fewer(long quantity) =>
        new[] { 1, quantity / 2, quantity - 1 }.Where(fewer => fewer is >= 1 && fewer < quantity).Distinct();

    // ---- Closed carts ----

    private static Gen<ClosedCart> AnyClosedCart =>
        from length in ScriptLengths
        from create in CreateCart
        from rest in ScriptFrom(Reached(InitCart.Instance, Seq1(create)), length)
        let opened = create.Cons(rest)
        from closing in Closing(Reached(InitCart.Instance, opened))
        let history = new CommandScript(opened + closing)
        select ClosedCart.Reached(history).IfNone(() =>
            throw new InvalidOperationException($"The generator could not close the cart: {history}"));

    private static Gen<Seq<CartCommand>> Closing(CartState state) => state switch
    {
        ActiveCart { Items.IsEmpty: false } cart => Gen.OneOf(
            CancelCart, CheckOutWithExactTotal(cart.Items), CheckOutWithoutTotal).Select(Seq1),
        ActiveCart => Gen.OneOf(
            CancelCart.Select(Seq1),
            from add in AddItem(CartItems.Empty)
            from checkOut in CheckOutWithoutTotal
            select Seq(add, checkOut)),
        _ => Gen.Constant(Seq<CartCommand>()),
    };

    private static IEnumerable<ClosedCart> ShrinkClosedCart(ClosedCart cart) =>
        ShrinkScript(cart.History).Select(ClosedCart.Reached).Somes();
}
