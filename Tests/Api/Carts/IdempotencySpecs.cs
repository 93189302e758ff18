using CartGraph.Api.Carts;
using CartGraph.Api.Security;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Tests.Integration;
using LanguageExt;
using static LanguageExt.Prelude;
using CartOutcome = LanguageExt.Either<LanguageExt.Seq<CartGraph.Api.Carts.CartFailure>, CartGraph.Domain.Carts.CartView>;

namespace CartGraph.Tests.Api.Carts;

/// <summary>
/// Commands with an idempotency key, through the carts' service on a real PostgreSQL: the first decides and appends, its
/// events carry the key; the same key again appends nothing and answers the first outcome, after any other commands, in
/// the same batch, from another instance or after a restart.
/// </summary>
public sealed class IdempotencySpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly Sender Operator = new Sender.Operator(MessageContext.None);

    private static Task<CartOutcome> Send(CartService carts, Validation<InvalidInput, CartCommand> command, string? key, string fingerprint) =>
        carts.HandleAsync(Operator, command, None, CancellationToken.None, key, fingerprint);

    private static Validation<InvalidInput, CartCommand> Add(TenantId tenant, string sku, int quantity = 1) =>
        CartCommands.AddItemToCart(tenant.Value, "cart", sku, $"Item {sku}", quantity, 5m);

    private CartService NewInstance() =>
        new(new CommandHandler(db.Store, new AggregateCache()), new StreamArchiver(db.Store, [new CartsProjection()]),
            new TenantAccess(new AuthOptions()), new MutationRateLimiter(new ApiLimits()));

    [Fact]
    public async Task A_command_sent_again_with_its_key_after_others_appends_nothing_and_answers_the_cart_as_the_first_left_it()
    {
        var tenant = StoreDatabase.NewTenant();
        var carts = db.CartService;
        await Send(carts, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), "create-1", "c");
        var first = Succeeded(await Send(carts, Add(tenant, "A", 2), "add-A", "a"));
        await Send(carts, Add(tenant, "B"), null, "");
        await Send(carts, Add(tenant, "C"), "add-C", "c");

        var again = Succeeded(await Send(carts, Add(tenant, "A", 2), "add-A", "a"));

        Assert.Equal(first, again);
        Assert.Equal(2, again.Version);
        Assert.Equal(["A"], again.Items.Lines.Map(i => i.Sku).ToArray());
        var stored = await db.Store.ReadStreamAsync(tenant, "cart");
        Assert.Equal(4, stored.Count);
        Assert.Equal("add-A:1", stored[1].MessageId);
        Assert.Contains("\"add-A\"", stored[1].Metadata);
    }

    [Fact]
    public async Task The_same_key_with_other_input_is_refused_and_changes_nothing()
    {
        var tenant = StoreDatabase.NewTenant();
        await Send(db.CartService, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), null, "");
        await Send(db.CartService, Add(tenant, "A"), "k", "fingerprint-of-A");

        var reused = await Send(db.CartService, Add(tenant, "B"), "k", "fingerprint-of-B");

        Assert.Equal(new CartFailure.IdempotencyKeyReused("k"), Assert.Single(Failures(reused)));
        Assert.Equal(2, (await db.Store.ReadStreamAsync(tenant, "cart")).Count);
    }

    [Fact]
    public async Task Identical_commands_sent_at_once_append_once_and_each_gets_the_first_outcome()
    {
        var tenant = StoreDatabase.NewTenant();
        await Send(db.CartService, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), null, "");
        var two = new[] { db.CartService, NewInstance() };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Send(two[i % 2], Add(tenant, "A", 3), "same", "a")));

        Assert.All(outcomes, o => Assert.Equal(2, Succeeded(o).Version));
        Assert.All(outcomes, o => Assert.Equal(3, Succeeded(o).Items.Lines.Single().Quantity));
        Assert.Equal(2, (await db.Store.ReadStreamAsync(tenant, "cart")).Count);
    }

    [Fact]
    public async Task A_rejected_command_sent_again_with_its_key_answers_the_same_rejection_even_once_it_would_succeed()
    {
        var tenant = StoreDatabase.NewTenant();
        await Send(db.CartService, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), null, "");
        var remove = CartCommands.RemoveItemFromCart(tenant.Value, "cart", "A", 1);
        var first = Failures(await Send(db.CartService, remove, "remove-A", "r"));
        Assert.Equal(new CartFailure.Rejected(new CartError.ItemNotInCart("A")), Assert.Single(first));
        await Send(db.CartService, Add(tenant, "A"), null, "");

        var again = await Send(NewInstance(), remove, "remove-A", "r");
        var otherInput = await Send(db.CartService, CartCommands.RemoveItemFromCart(tenant.Value, "cart", "A", 2), "remove-A", "r2");

        Assert.Equal(first, Failures(again));
        Assert.Equal(new CartFailure.IdempotencyKeyReused("remove-A"), Assert.Single(Failures(otherInput)));
        Assert.Equal(2, (await db.Store.ReadStreamAsync(tenant, "cart")).Count);
    }

    [Fact]
    public async Task Keys_survive_a_restart_of_the_service()
    {
        var tenant = StoreDatabase.NewTenant();
        await Send(db.CartService, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), "create", "c");
        var first = Succeeded(await Send(db.CartService, Add(tenant, "A"), "add", "a"));
        await Send(db.CartService, Add(tenant, "B"), null, "");

        var afterRestart = Succeeded(await Send(NewInstance(), Add(tenant, "A"), "add", "a"));

        Assert.Equal(first, afterRestart);
        Assert.Equal(3, (await db.Store.ReadStreamAsync(tenant, "cart")).Count);
    }

    [Fact]
    public async Task A_key_of_an_archived_cart_answers_its_first_outcome()
    {
        var tenant = StoreDatabase.NewTenant();
        var created = Succeeded(await Send(db.CartService, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), "create", "c"));
        await db.CartService.ArchiveAsync(Operator, ArchiveCart.Create(tenant.Value, "cart"), None, CancellationToken.None);

        var again = Succeeded(await Send(NewInstance(), CartCommands.CreateCart(tenant.Value, "cart", "EUR"), "create", "c"));

        Assert.Equal(created, again);
    }

    [Fact]
    public async Task A_key_that_is_empty_too_long_or_not_printable_is_a_validation_error_and_changes_nothing()
    {
        var tenant = StoreDatabase.NewTenant();
        foreach (var key in new[] { "", new string('k', 129), "tab\there" })
        {
            var outcome = await Send(db.CartService, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), key, "c");
            Assert.Equal("idempotencyKey", Assert.IsType<CartFailure.Invalid>(Assert.Single(Failures(outcome))).Field);
        }
        _ = Succeeded(await Send(db.CartService, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), new string('k', 128), "c"));
        Assert.Single(await db.Store.ReadStreamAsync(tenant, "cart"));
    }

    private static CartView Succeeded(CartOutcome outcome) =>
        outcome.Match(cart => cart, failures => throw new Xunit.Sdk.XunitException($"refused: {string.Join("; ", failures)}"));

    private static Seq<CartFailure> Failures(CartOutcome outcome) =>
        outcome.Match(cart => throw new Xunit.Sdk.XunitException($"succeeded: {cart}"), failures => failures);
}

