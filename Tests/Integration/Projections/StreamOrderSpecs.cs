using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Projections;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// A transaction can take its id, then append behind an append that commits first: the later stream position then
/// carries the older transaction id and comes first in commit order. Each stream is still applied in position order,
/// every event exactly once.
/// </summary>
public sealed class StreamOrderSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static CartEvent.ItemAddedToCart Item(string sku, int quantity) => new(new CartItem(sku, $"Item {sku}", quantity, 1m));

    private async Task<(TenantId Tenant, ProjectionProcessor Processor)> CartAtVersion3(int batchSize)
    {
        var tenant = StoreDatabase.NewTenant();
        await Carts.HandleAsync(db, tenant, "cart", Carts.Create(tenant, "cart"));
        await Carts.HandleAsync(db, tenant, "cart", Carts.Add(tenant, "cart", "A", 1, 1));
        await Carts.HandleAsync(db, tenant, "cart", Carts.Add(tenant, "cart", "B", 1, 1));
        var processor = Carts.Processor(db, tenant, new ProjectionOptions { BatchSize = batchSize });
        await processor.CatchUpAsync();
        return (tenant, processor);
    }

    private async Task AssertRowIsTheFoldOfTheStream(TenantId tenant, string cartId, long expectedVersion)
    {
        var (state, version) = await Carts.FoldAsync(db, tenant, cartId);
        Assert.Equal(expectedVersion, version);
        var row = (await Carts.ReadModelAsync(db, tenant))[cartId];
        Assert.Equal(version, row.Version);
        Assert.Equal(state, row.State);
        Assert.Equal(version, await db.ScalarAsync<long>(
            "SELECT last_processed_position FROM emt_subscriptions WHERE partition = $1 AND subscription_id = $2",
            tenant.Value, $"carts-read-model:{cartId}"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_000)]
    public async Task An_append_without_expected_version_from_an_older_transaction_is_applied_after_the_position_before_it(int batchSize)
    {
        var (tenant, processor) = await CartAtVersion3(batchSize);

        await using var older = await OpenTransaction.BeginAsync(db, tenant);
        await older.TakeTransactionIdAsync();
        await Carts.HandleAsync(db, tenant, "cart", Carts.Add(tenant, "cart", "API", 1, 1)); // version 4, exact, committed first
        Assert.Equal(5, await older.AppendAsync("cart", Item("NODE", 2)));                  // version 5, the older transaction id
        await older.CommitAsync();
        await processor.CatchUpAsync();

        await AssertRowIsTheFoldOfTheStream(tenant, "cart", 5);
        var row = (await Carts.ReadModelAsync(db, tenant))["cart"];
        Assert.Equal(1, row.Items.Find("API").Map(l => l.Quantity).IfNone(0));
        Assert.Equal(2, row.Items.Find("NODE").Map(l => l.Quantity).IfNone(0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1_000)]
    public async Task A_transaction_that_wrote_elsewhere_first_and_appends_twice_behind_two_commits_keeps_the_stream_in_order(int batchSize)
    {
        var (tenant, processor) = await CartAtVersion3(batchSize);
        await Carts.HandleAsync(db, tenant, "outbox", Carts.Create(tenant, "outbox"));

        await using var older = await OpenTransaction.BeginAsync(db, tenant);
        await older.AppendAsync("outbox", Item("OUT", 1));                                   // its first write takes its id
        await Carts.HandleAsync(db, tenant, "cart", Carts.Add(tenant, "cart", "API", 1, 1)); // version 4
        await Carts.HandleAsync(db, tenant, "cart", CartCommands.EmptyCart(tenant.Value, "cart")); // version 5
        Assert.Equal(6, await older.AppendAsync("cart", Item("NODE", 2)));
        Assert.Equal(7, await older.AppendAsync("cart", Item("NODE", 3)));
        await older.CommitAsync();
        await processor.CatchUpAsync();

        await AssertRowIsTheFoldOfTheStream(tenant, "cart", 7);
        await AssertRowIsTheFoldOfTheStream(tenant, "outbox", 2);
        var row = (await Carts.ReadModelAsync(db, tenant))["cart"];
        Assert.Equal(new[] { "NODE" }, row.Items.Lines.Map(l => l.Sku).ToArray());
        Assert.Equal(5, row.Items.Find("NODE").Map(l => l.Quantity).IfNone(0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_000)]
    public async Task Writers_racing_without_an_expected_version_leave_every_row_the_fold_of_its_stream(int batchSize)
    {
        // Appends that expect no exact version queue on the stream row; one that took its transaction id while waiting can
        // be overtaken by a newer one, so positions and transaction ids disagree now and then.
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < 3; c++) await Carts.HandleAsync(db, tenant, $"cart-{c}", Carts.Create(tenant, $"cart-{c}"));
        await using var host = await RunningHost.StartAsync(db, new ProjectionOptions { BatchSize = batchSize, OwnershipInterval = TimeSpan.FromMilliseconds(300) });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                var @event = Item($"S{i % 4}", writer + 1); // quantities add up: a lost event shows
                var appended = await db.Store.AppendAsync(tenant, $"cart-{i % 3}", Cart.StreamType,
                    [new Infrastructure.EventStore.NewMessage(CartEventJson.TypeOf(@event), CartEventJson.Serialize(@event))],
                    i % 2 == 0 ? Infrastructure.EventStore.ExpectedVersion.StreamExists : Infrastructure.EventStore.ExpectedVersion.Any);
                Assert.True(appended.IsRight);
            }
        })));

        var expected = new Dictionary<string, (CartState State, long Version)>();
        for (var c = 0; c < 3; c++) expected[$"cart-{c}"] = await Carts.FoldAsync(db, tenant, $"cart-{c}");
        var rows = await Eventually.Until(() => Carts.ReadModelAsync(db, tenant),
            r => expected.All(e => r.TryGetValue(e.Key, out var row) && row.Version == e.Value.Version), TimeSpan.FromSeconds(30));
        foreach (var (cartId, (state, version)) in expected) Assert.Equal((version, state), (rows[cartId].Version, rows[cartId].State));
    }
}
