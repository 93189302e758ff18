using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Tests.Unit.Carts;
using LanguageExt;
using CartOutcome = LanguageExt.Either<
    CartGraph.Infrastructure.CommandHandling.CommandRejection<CartGraph.Domain.Carts.CartError>,
    CartGraph.Infrastructure.CommandHandling.CommandResult<CartGraph.Domain.Carts.CartEvent, CartGraph.Domain.Carts.CartState>>;

namespace CartGraph.Tests.Integration.CommandHandling;

/// <summary>
/// Many commands on one stream at once: in one process they queue up, are decided in order on the state each leaves,
/// and go to the store together; each gets its own outcome, and none without an expected version sees a conflict.
/// </summary>
public sealed class HotStreamSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly Aggregate<CartCommand, CartEvent, CartState, CartError> Carts = Projections.Carts.Aggregate;

    [Fact]
    public async Task Commands_waiting_behind_an_append_are_decided_in_the_order_sent_and_appended_together_each_with_its_own_outcome()
    {
        var (tenant, handler) = (StoreDatabase.NewTenant(), new CommandHandler(db.Store, new AggregateCache()));
        await CreateAsync(handler, tenant);
        Task<CartOutcome> first;
        var commands = Enumerable.Range(1, 20).Select(i => i % 5 == 0
            ? Remove(tenant, $"missing-{i}")
            : Add(tenant, $"SKU-{i % 3}", quantity: i)).ToArray();
        Task<CartOutcome>[] waiting;
        await using (var rowLock = await StreamRowLock.TakeAsync(db, tenant, "cart"))
        {
            first = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "SKU-0", 1), context: new MessageContext("first"));
            await rowLock.WaiterAsync(db);
            waiting = commands.Select((command, i) => handler.HandleAsync(Carts, tenant, "cart", command, context: new MessageContext($"c{i}"))).ToArray();
        }
        var outcomes = await Task.WhenAll(waiting);

        Assert.Equal(2, Accepted(await first).Version);
        var stored = await db.Store.ReadStreamAsync(tenant, "cart");
        var expectedVersion = 2L;
        var state = Accepted(await first).State;
        for (var i = 0; i < commands.Length; i++)
        {
            // Decided in the order sent, on the state the commands before it left: the oracle is the decider itself.
            var decision = Cart.Decider.Apply(commands[i], state);
            if (decision.IsLeft)
            {
                Assert.Equal(new CommandRejection<CartError>.Rejected(new CartError.ItemNotInCart($"missing-{i + 1}")), Rejected(outcomes[i]));
                continue;
            }
            var (events, next) = decision.Match(d => d, _ => throw new InvalidOperationException());
            var result = Accepted(outcomes[i]);
            expectedVersion++;
            Assert.Equal((expectedVersion, next), (result.Version, result.State));
            Assert.Equal(events, result.Events);
            var message = stored[(int)expectedVersion - 1];
            Assert.Equal((expectedVersion, $"\"c{i}\""), (message.StreamPosition, Correlation(message)));
            Assert.Equal(result.GlobalPositions, [message.GlobalPosition]);
            state = next;
        }
        Assert.Equal(expectedVersion, stored.Count);
        // One append for every command that waited: one transaction, positions contiguous.
        Assert.Single(stored.Skip(2).Select(m => m.TransactionId).Distinct());
        var (folded, version) = await db.Store.AggregateStreamAsync(tenant, "cart", Cart.Decider, CartEventJson.Codec).ReadableAsync();
        Assert.Equal((state, expectedVersion), (folded, version));
    }

    [Fact]
    public async Task A_rejected_command_in_the_middle_of_a_batch_leaves_the_others_appended()
    {
        var (tenant, handler) = (StoreDatabase.NewTenant(), new CommandHandler(db.Store));
        await CreateAsync(handler, tenant);
        Task<CartOutcome> first, before, rejected, after;
        await using (var rowLock = await StreamRowLock.TakeAsync(db, tenant, "cart"))
        {
            first = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "A", 1));
            await rowLock.WaiterAsync(db);
            before = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "B", 1));
            rejected = handler.HandleAsync(Carts, tenant, "cart", Remove(tenant, "Z"));
            after = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "C", 1));
        }

        Assert.Equal(2, Accepted(await first).Version);
        Assert.Equal(3, Accepted(await before).Version);
        Assert.Equal(new CommandRejection<CartError>.Rejected(new CartError.ItemNotInCart("Z")), Rejected(await rejected));
        Assert.Equal(4, Accepted(await after).Version);
        var stored = await db.Store.ReadStreamAsync(tenant, "cart");
        Assert.Equal([1L, 2, 3, 4], stored.Select(m => m.StreamPosition));
        Assert.Equal(stored[2].TransactionId, stored[3].TransactionId);
    }

    [Fact]
    public async Task Many_concurrent_commands_without_a_version_all_land_each_at_its_own_version_with_the_state_it_left()
    {
        var (tenant, handler) = (StoreDatabase.NewTenant(), new CommandHandler(db.Store, new AggregateCache()));
        await CreateAsync(handler, tenant);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 64).Select(q => Task.Run(() =>
            handler.HandleAsync(Carts, tenant, "cart", Add(tenant, $"SKU-{q % 4}", q)))));

        var results = outcomes.Select(Accepted).OrderBy(r => r.Version).ToArray();
        Assert.Equal(Enumerable.Range(2, 64).Select(v => (long)v), results.Select(r => r.Version));
        var stored = await db.Store.ReadStreamAsync(tenant, "cart");
        var history = stored.Select(Decoded).ToArray();
        // Each outcome is the fold of the stream up to its own version: decided on what the commands before it left.
        Assert.All(results, r => Assert.Equal(Cart.Decider.Fold(history.Take((int)r.Version)), r.State));
        Assert.Equal(Enumerable.Range(1, 64).Sum(), Lines(results[^1].State).Sum(l => l.Quantity));
    }

    [Fact]
    public async Task Two_instances_on_one_hot_stream_decide_again_on_conflict_and_no_command_without_a_version_fails()
    {
        var tenant = StoreDatabase.NewTenant();
        await using var other = PostgresDatabase.Create(db.ConnectionString);
        var instances = new[]
        {
            new CommandHandler(db.Store, new AggregateCache()),
            new CommandHandler(new Infrastructure.EventStore.EventStore(other, new TenantPartitions(other)), new AggregateCache()),
        };
        await CreateAsync(instances[0], tenant);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 64).Select(q => Task.Run(() =>
            instances[q % 2].HandleAsync(Carts, tenant, "cart", Add(tenant, $"SKU-{q % 4}", q)))));

        var versions = outcomes.Select(o => Accepted(o).Version).Order().ToArray();
        Assert.Equal(Enumerable.Range(2, 64).Select(v => (long)v), versions);
        var (state, version) = await db.Store.AggregateStreamAsync(tenant, "cart", Cart.Decider, CartEventJson.Codec).ReadableAsync();
        Assert.Equal(65, version);
        Assert.Equal(Enumerable.Range(1, 64).Sum(), Lines(state).Sum(l => l.Quantity));
    }

    [Fact]
    public async Task A_command_with_an_expected_version_is_decided_on_it_in_its_batch_or_conflicts()
    {
        var (tenant, handler) = (StoreDatabase.NewTenant(), new CommandHandler(db.Store, new AggregateCache()));
        await CreateAsync(handler, tenant);
        Task<CartOutcome> first, onTwo, alsoOnTwo, anyVersion;
        await using (var rowLock = await StreamRowLock.TakeAsync(db, tenant, "cart"))
        {
            first = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "A", 1));
            await rowLock.WaiterAsync(db);
            onTwo = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "B", 1), expectedVersion: 2);
            alsoOnTwo = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "C", 1), expectedVersion: 2);
            anyVersion = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "D", 1));
        }

        Assert.Equal(2, Accepted(await first).Version);
        Assert.Equal(3, Accepted(await onTwo).Version);
        Assert.Equal(
            new CommandRejection<CartError>.Conflict(new StreamError.WrongExpectedVersion("cart", ExpectedVersion.Exactly(2), 3)),
            Rejected(await alsoOnTwo));
        Assert.Equal(4, Accepted(await anyVersion).Version);
    }

    [Fact]
    public async Task A_command_whose_caller_gave_up_while_it_waited_is_never_appended()
    {
        var (tenant, handler) = (StoreDatabase.NewTenant(), new CommandHandler(db.Store));
        await CreateAsync(handler, tenant);
        using var giveUp = new CancellationTokenSource();
        Task<CartOutcome> first, abandoned;
        await using (var rowLock = await StreamRowLock.TakeAsync(db, tenant, "cart"))
        {
            first = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "A", 1));
            await rowLock.WaiterAsync(db);
            abandoned = handler.HandleAsync(Carts, tenant, "cart", Add(tenant, "B", 1), cancellationToken: giveUp.Token);
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        }

        Assert.Equal(2, Accepted(await first).Version);
        var (state, version) = await db.Store.AggregateStreamAsync(tenant, "cart", Cart.Decider, CartEventJson.Codec).ReadableAsync();
        Assert.Equal(2, version);
        Assert.Equal(new[] { "A" }, Lines(state).Select(l => l.Sku).ToArray());
    }

    private static async Task CreateAsync(CommandHandler handler, TenantId tenant) =>
        Accepted(await handler.HandleAsync(Carts, tenant, "cart", CartSpec.Valid(CartCommands.CreateCart(tenant.Value, "cart", "USD"))));

    private static CartCommand Add(TenantId tenant, string sku, int quantity) =>
        CartSpec.Valid(CartCommands.AddItemToCart(tenant.Value, "cart", sku, $"Item {sku}", quantity, 2m));

    private static CartCommand Remove(TenantId tenant, string sku) =>
        CartSpec.Valid(CartCommands.RemoveItemFromCart(tenant.Value, "cart", sku, 1));

    private static string Correlation(RecordedMessage message) =>
        System.Text.Json.JsonDocument.Parse(message.Metadata).RootElement.GetProperty("correlationId").GetRawText();

    private static CartEvent Decoded(RecordedMessage message) =>
        CartEventJson.Codec.Deserialize(message.MessageType, message.SchemaVersion, message.Data)
            .Match(known => known.IfNone(() => throw new InvalidOperationException(message.MessageType)), unreadable => throw new InvalidOperationException(unreadable.Reason));

    private static Seq<CartItem> Lines(CartState state) => Assert.IsType<CartState.ActiveCart>(state).Items.Lines;

    private static CommandResult<CartEvent, CartState> Accepted(CartOutcome outcome) =>
        outcome.Match(result => result, rejection => throw new Xunit.Sdk.XunitException($"rejected: {rejection}"));

    private static CommandRejection<CartError> Rejected(CartOutcome outcome) =>
        outcome.Match(result => throw new Xunit.Sdk.XunitException($"accepted at {result.Version}"), rejection => rejection);
}
