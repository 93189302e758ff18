using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Tests.Unit.Carts;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>A cached state speeds commands up but never decides on its own: what is stale is read again.</summary>
public sealed class AggregateCacheSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly Aggregate<CartCommand, CartEvent, CartState, CartError> Carts = Projections.Carts.Aggregate;

    [Fact]
    public async Task A_stale_cached_state_costs_a_fresh_read_not_a_wrong_decision()
    {
        var tenant = StoreDatabase.NewTenant();
        var cache = new AggregateCache();
        var cached = new CommandHandler(db.Store, cache);
        await cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.CreateCart(tenant.Value, "cart", "USD")));
        Assert.True(cache.TryGet<CartState>(Cart.StreamType, tenant, "cart", out _, out var cachedVersion));
        Assert.Equal(1, cachedVersion);

        // Another writer (another instance, another service) adds an item behind the cache's back.
        await db.Handler.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "A", "Item A", 2, 1)));

        // Decided on the cached (stale) state this would be ItemNotInCart; the fresh stream says otherwise.
        var removed = await cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.RemoveItemFromCart(tenant.Value, "cart", "A", 1)));
        var result = removed.Match(r => r, rejection => throw new Xunit.Sdk.XunitException($"rejected: {rejection}"));
        Assert.Equal(3, result.Version);
        Assert.Equal(1, ((CartState.ActiveCart)result.State).Items.Find("A").Map(l => l.Quantity).IfNone(0));

        // An add on top of a stale cache lands at the right position too.
        await db.Handler.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "B", "Item B", 1, 1)));
        var added = await cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "C", "Item C", 1, 1)));
        Assert.Equal(5, added.Match(r => r.Version, _ => -1));
        Assert.Equal([1L, 2, 3, 4, 5], (await db.Store.ReadStreamAsync(tenant, "cart")).Select(m => m.StreamPosition));
    }

    [Fact]
    public async Task A_decision_to_record_nothing_is_made_on_the_stream_not_the_cache()
    {
        var tenant = StoreDatabase.NewTenant();
        var cached = new CommandHandler(db.Store, new AggregateCache());
        await cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.CreateCart(tenant.Value, "cart", "USD")));
        await db.Handler.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "A", "Item A", 1, 1)));

        // The cache holds an empty cart, so emptying it would record nothing; the stream holds an item.
        var emptied = await cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.EmptyCart(tenant.Value, "cart")));

        var result = emptied.Match(r => r, rejection => throw new Xunit.Sdk.XunitException($"rejected: {rejection}"));
        Assert.Equal(new[] { "CartEmptied" }, result.Events.Map(e => e.GetType().Name).ToArray());
        Assert.Equal(3, result.Version);
    }

    [Fact]
    public async Task A_client_expected_version_is_checked_against_the_stream_not_the_cache()
    {
        var tenant = StoreDatabase.NewTenant();
        var cached = new CommandHandler(db.Store, new AggregateCache());
        await cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.CreateCart(tenant.Value, "cart", "USD")));
        await db.Handler.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "A", "Item A", 1, 1)));

        var add = CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "B", "Item B", 1, 1));
        Assert.True((await cached.HandleAsync(Carts, tenant, "cart", add, expectedVersion: 2)).IsRight);
        var stale = await cached.HandleAsync(Carts, tenant, "cart", add, expectedVersion: 2);
        Assert.Equal(
            new CommandRejection<CartError>.Conflict(new StreamError.WrongExpectedVersion("cart", ExpectedVersion.Exactly(2), 3)),
            stale.Match(_ => null!, rejection => rejection));
    }

    [Fact]
    public async Task A_read_for_an_operation_beside_decide_takes_the_stream_not_the_cache_and_checks_the_expected_version()
    {
        var tenant = StoreDatabase.NewTenant();
        var cached = new CommandHandler(db.Store, new AggregateCache());
        await cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.CreateCart(tenant.Value, "cart", "USD")));
        await db.Handler.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "A", "Item A", 1, 1)));

        var current = await cached.ReadAsync(Carts, tenant, "cart");
        var stale = await cached.ReadAsync(Carts, tenant, "cart", expectedVersion: 1);

        Assert.Equal(2, current.Match(read => read.Version, rejection => throw new Xunit.Sdk.XunitException($"refused: {rejection}")));
        Assert.Equal(
            new CommandRejection<CartError>.Conflict(new StreamError.WrongExpectedVersion("cart", ExpectedVersion.Exactly(1), 2)),
            stale.Match(_ => null!, rejection => rejection));
    }

    [Fact]
    public async Task Sixteen_concurrent_adds_through_a_cached_handler_all_land()
    {
        var tenant = StoreDatabase.NewTenant();
        var cached = new CommandHandler(db.Store, new AggregateCache());
        await cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.CreateCart(tenant.Value, "cart", "USD")));
        var results = await Task.WhenAll(Enumerable.Range(1, 16).Select(q => Task.Run(() =>
            cached.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "A", "Item A", q, 1))))));
        Assert.All(results, r => Assert.True(r.IsRight));
        var (state, version) = await db.Store.AggregateStreamAsync(tenant, "cart", Cart.Decider, CartEventJson.Codec).ReadableAsync();
        Assert.Equal(17, version);
        Assert.Equal(136, ((CartState.ActiveCart)state).Items.Find("A").Map(l => l.Quantity).IfNone(0));
    }

    [Fact]
    public void The_cache_keeps_within_its_budget_in_bytes_dropping_the_least_recently_used()
    {
        const long StateBytes = 1_000;
        var cache = new AggregateCache(budget: 100_000);
        var tenant = Domain.Values.TenantId.Parse("acme");
        for (var i = 0; cache.Bytes + 2 * StateBytes < cache.Budget; i++) cache.Set("cart", tenant, $"s{i}", i, i, StateBytes);
        var held = cache.Count;
        Assert.InRange(held, 50, 99); // each entry costs its state, its ids and the dictionary's share
        Assert.True(cache.TryGet<int>("cart", tenant, "s0", out _, out _)); // s0 is now the most recently used

        cache.Set("cart", tenant, "big", -1, -1, 20 * StateBytes);

        Assert.InRange(cache.Bytes, 1, cache.Budget);
        Assert.True(cache.Count < held);
        Assert.True(cache.TryGet<int>("cart", tenant, "big", out _, out _));
        Assert.True(cache.TryGet<int>("cart", tenant, "s0", out _, out _));
        Assert.False(cache.TryGet<int>("cart", tenant, "s1", out _, out _));
    }

    [Fact]
    public void Setting_a_stream_again_replaces_its_cost_and_removing_it_gives_the_cost_back()
    {
        var cache = new AggregateCache(budget: 1 << 20);
        var tenant = Domain.Values.TenantId.Parse("acme");
        cache.Set("cart", tenant, "s", 1, 1, 1_000);
        var once = cache.Bytes;
        cache.Set("cart", tenant, "s", 2, 2, 3_000);
        Assert.Equal(once + 2_000, cache.Bytes);
        cache.Remove(tenant, "s");
        Assert.Equal((0, 0L), (cache.Count, cache.Bytes));
    }
}
