using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Tests.Unit.Carts;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

public sealed class ConcurrencySpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly Aggregate<CartCommand, CartEvent, CartState, CartError> Carts = Projections.Carts.Aggregate;

    [Fact]
    public async Task Of_16_appends_at_the_same_version_exactly_one_wins_and_positions_have_no_holes()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.NoStream);
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await db.Store.AppendAsync(tenant, "s", "thing", Events(2, 100 * i), ExpectedVersion.Exactly(1));
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(racers);

        Assert.Single(results, r => r.IsRight);
        Assert.All(results.Where(r => r.IsLeft), r => r.IfLeft(e =>
            Assert.Equal(new StreamError.WrongExpectedVersion("s", ExpectedVersion.Exactly(1), 3), e)));
        Assert.Equal([1L, 2, 3], (await db.Store.ReadStreamAsync(tenant, "s")).Select(m => m.StreamPosition));
    }

    [Fact]
    public async Task Two_racing_creators_give_one_stream_and_one_conflict_never_a_crash()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Tenants.ProvisionAsync(tenant);
        for (var round = 0; round < 20; round++)
        {
            var stream = $"s{round}";
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
                db.Store.AppendAsync(tenant, stream, "thing", Events(1), ExpectedVersion.NoStream))));
            Assert.Single(results, r => r.IsRight);
            Assert.Single(results, r => r.IsLeft);
        }
    }

    [Fact]
    public async Task Through_the_command_handler_16_concurrent_adds_all_land()
    {
        var tenant = StoreDatabase.NewTenant();
        var create = CartSpec.Valid(CartCommands.CreateCart(tenant.Value, "cart", "USD"));
        Assert.True((await db.Handler.HandleAsync(Carts, tenant, "cart", create)).IsRight);

        var adds = Enumerable.Range(1, 16).Select(q => Task.Run(() =>
        {
            var add = CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "SKU-1", "One", q, 2));
            return db.Handler.HandleAsync(Carts, tenant, "cart", add);
        }));
        var results = await Task.WhenAll(adds);

        Assert.All(results, r => Assert.True(r.IsRight, r.IsLeft ? r.LeftToSeq().Head.ToString() : ""));
        var (state, version) = await db.Store.AggregateStreamAsync(tenant, "cart", Cart.Decider, CartEventJson.Codec).ReadableAsync();
        var cart = Assert.IsType<CartState.ActiveCart>(state);
        Assert.Equal(Enumerable.Range(1, 16).Sum(), cart.Items.Lines.Single().Quantity);
        Assert.Equal(17, version);
        Assert.Equal(Enumerable.Range(1, 17).Select(i => (long)i), (await db.Store.ReadStreamAsync(tenant, "cart")).Select(m => m.StreamPosition));
    }

    [Fact]
    public async Task A_client_expected_version_that_moved_is_a_conflict_without_retry()
    {
        var tenant = StoreDatabase.NewTenant();
        var create = CartSpec.Valid(CartCommands.CreateCart(tenant.Value, "cart", "USD"));
        await db.Handler.HandleAsync(Carts, tenant, "cart", create);
        var add = CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "SKU-1", "One", 1, 2));
        await db.Handler.HandleAsync(Carts, tenant, "cart", add);

        var stale = await db.Handler.HandleAsync(Carts, tenant, "cart", add, expectedVersion: 1);

        stale.Match(
            Right: _ => Assert.Fail("a stale expected version must not apply"),
            Left: rejection => Assert.Equal(
                new CommandRejection<CartError>.Conflict(new StreamError.WrongExpectedVersion("cart", ExpectedVersion.Exactly(1), 2)),
                rejection));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM emt_messages WHERE partition = $1", tenant.Value));
    }

    [Fact]
    public async Task A_rejected_command_writes_nothing()
    {
        var tenant = StoreDatabase.NewTenant();
        var add = CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", "SKU-1", "One", 1, 2));
        var result = await db.Handler.HandleAsync(Carts, tenant, "cart", add);
        result.Match(
            Right: _ => Assert.Fail("adding to a missing cart must fail"),
            Left: rejection => Assert.Equal(new CommandRejection<CartError>.Rejected(new CartError.CartNotFound()), rejection));
        Assert.False(await db.Store.StreamExistsAsync(tenant, "cart"));
    }
}
