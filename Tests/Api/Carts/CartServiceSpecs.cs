using System.Security.Claims;
using CartGraph.Api.Carts;
using CartGraph.Api.Security;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Tests.Integration;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Tests.Api.Carts;

/// <summary>
/// The carts' service without GraphQL, against a real PostgreSQL: a command in, its outcome out, with the checks every
/// sender meets before the decider (input, tenant, rate) and archiving at the version it read.
/// </summary>
public sealed class CartServiceSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private CartService Carts => db.CartService;

    [Fact]
    public async Task A_command_decided_and_appended_answers_the_cart_as_it_left_it_and_records_the_senders_context()
    {
        var tenant = StoreDatabase.NewTenant();
        var sender = Client(tenant, new MessageContext("correlation-1", "addItemToCart"));
        await Carts.HandleAsync(sender, CartCommands.CreateCart(tenant.Value, "cart", "EUR"), None, CancellationToken.None);

        var added = await Carts.HandleAsync(sender, CartCommands.AddItemToCart(tenant.Value, "cart", "A", "Item A", 2, 5m), None, CancellationToken.None);

        var cart = Succeeded(added);
        Assert.Equal((tenant, "cart", 2L, CartStatus.Active, "EUR", 10m), (cart.TenantId, cart.CartId, cart.Version, cart.Status, cart.Currency, cart.Total));
        Assert.Null(cart.CreatedAt);
        var stored = await db.Store.ReadStreamAsync(tenant, "cart");
        Assert.Contains("\"correlation-1\"", stored[^1].Metadata);
        Assert.Contains("\"addItemToCart\"", stored[^1].Metadata);
    }

    [Fact]
    public async Task Input_that_makes_no_command_answers_every_problem_at_once_and_writes_nothing()
    {
        var tenant = StoreDatabase.NewTenant();

        var outcome = await Carts.HandleAsync(
            Client(tenant), CartCommands.AddItemToCart(tenant.Value, "cart", "", "Item", 0, -1m), None, CancellationToken.None);

        Assert.Equal(new[] { "item.sku", "item.quantity", "item.unitPrice" }, Failures(outcome).Map(f => ((CartFailure.Invalid)f).Field).ToArray());
        Assert.False(await db.Store.StreamExistsAsync(tenant, "cart"));
    }

    [Fact]
    public async Task A_client_whose_token_does_not_name_the_tenant_is_forbidden_and_writes_nothing()
    {
        var tenant = StoreDatabase.NewTenant();

        var outcome = await Carts.HandleAsync(
            Client(StoreDatabase.NewTenant()), CartCommands.CreateCart(tenant.Value, "cart", "USD"), None, CancellationToken.None);
        var archive = await Carts.ArchiveAsync(
            Client(StoreDatabase.NewTenant()), ArchiveCart.Create(tenant.Value, "cart"), None, CancellationToken.None);

        Assert.Equal(new CartFailure.Forbidden(tenant.Value), Assert.Single(Failures(outcome)));
        Assert.Equal(new CartFailure.Forbidden(tenant.Value), Assert.Single(Failures(archive)));
        Assert.False(await db.Store.StreamExistsAsync(tenant, "cart"));
    }

    [Fact]
    public async Task A_client_past_its_tenants_burst_is_rate_limited_and_an_operator_is_not()
    {
        var tenant = StoreDatabase.NewTenant();
        using var rates = new MutationRateLimiter(new ApiLimits { MutationsPerSecondPerTenant = 1, MutationBurstPerTenant = 1 });
        var carts = new CartService(db.Handler, new StreamArchiver(db.Store, [new CartsProjection()]), new TenantAccess(new AuthOptions()), rates);

        var first = await carts.HandleAsync(Client(tenant), CartCommands.CreateCart(tenant.Value, "first", "USD"), None, CancellationToken.None);
        var second = await carts.HandleAsync(Client(tenant), CartCommands.CreateCart(tenant.Value, "second", "USD"), None, CancellationToken.None);
        var byOperator = await carts.HandleAsync(Operator, CartCommands.CreateCart(tenant.Value, "third", "USD"), None, CancellationToken.None);

        Assert.True(first.IsRight);
        Assert.IsType<CartFailure.RateLimited>(Assert.Single(Failures(second)));
        Assert.False(await db.Store.StreamExistsAsync(tenant, "second"));
        Assert.True(byOperator.IsRight);
    }

    [Fact]
    public async Task A_rule_of_the_cart_is_the_deciders_own_error()
    {
        var tenant = StoreDatabase.NewTenant();

        var outcome = await Carts.HandleAsync(Operator, CartCommands.EmptyCart(tenant.Value, "nowhere"), None, CancellationToken.None);

        Assert.Equal(new CartFailure.Rejected(new CartError.CartNotFound()), Assert.Single(Failures(outcome)));
    }

    [Fact]
    public async Task Archiving_at_a_version_the_cart_has_left_is_a_conflict_at_its_version_archives_the_cart_as_it_was_and_once_only()
    {
        var tenant = StoreDatabase.NewTenant();
        await Carts.HandleAsync(Operator, CartCommands.CreateCart(tenant.Value, "cart", "USD"), None, CancellationToken.None);
        await Carts.HandleAsync(Operator, CartCommands.AddItemToCart(tenant.Value, "cart", "A", "Item A", 1, 3m), None, CancellationToken.None);

        var stale = await Carts.ArchiveAsync(Operator, ArchiveCart.Create(tenant.Value, "cart"), Some(1L), CancellationToken.None);
        Assert.True(await db.Store.StreamExistsAsync(tenant, "cart"));
        var archived = await Carts.ArchiveAsync(Operator, ArchiveCart.Create(tenant.Value, "cart"), Some(2L), CancellationToken.None);
        var again = await Carts.ArchiveAsync(Operator, ArchiveCart.Create(tenant.Value, "cart"), None, CancellationToken.None);

        Assert.Equal(new CartFailure.ConcurrencyConflict("cart", 1, 2), Assert.Single(Failures(stale)));
        var cart = Succeeded(archived);
        Assert.Equal((2L, 3m), (cart.Version, cart.Total));
        Assert.False(await db.Store.StreamExistsAsync(tenant, "cart"));
        Assert.Equal(new CartFailure.CartArchived("cart"), Assert.Single(Failures(again)));
    }

    [Fact]
    public async Task An_archived_cart_cannot_be_created_again_and_takes_no_other_command()
    {
        var tenant = StoreDatabase.NewTenant();
        await Carts.HandleAsync(Operator, CartCommands.CreateCart(tenant.Value, "cart", "USD"), None, CancellationToken.None);
        await Carts.ArchiveAsync(Operator, ArchiveCart.Create(tenant.Value, "cart"), None, CancellationToken.None);

        var created = await Carts.HandleAsync(Operator, CartCommands.CreateCart(tenant.Value, "cart", "USD"), None, CancellationToken.None);
        var emptied = await Carts.HandleAsync(Operator, CartCommands.EmptyCart(tenant.Value, "cart"), None, CancellationToken.None);

        Assert.Equal(new CartFailure.CartArchived("cart"), Assert.Single(Failures(created)));
        Assert.Equal(new CartFailure.Rejected(new CartError.CartNotFound()), Assert.Single(Failures(emptied)));
    }

    private static readonly Sender Operator = new Sender.Operator(MessageContext.None);

    /// <summary>A client whose token names <paramref name="tenant"/>, as the bearer scheme leaves it.</summary>
    private static Sender Client(TenantId tenant, MessageContext? context = null) =>
        new Sender.Client(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(new AuthOptions().TenantClaim, tenant.Value)], authenticationType: "Bearer")),
            context ?? MessageContext.None);

    private static CartView Succeeded(Either<Seq<CartFailure>, CartView> outcome) =>
        outcome.Match(cart => cart, failures => throw new Xunit.Sdk.XunitException($"refused: {string.Join("; ", failures)}"));

    private static Seq<CartFailure> Failures(Either<Seq<CartFailure>, CartView> outcome) =>
        outcome.Match(cart => throw new Xunit.Sdk.XunitException($"succeeded: {cart}"), failures => failures);
}
