using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>What an operator does with a parked stream: apply it again, or pass over the one message it waits at.</summary>
public sealed class ParkedStreamsSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private const string MalformedItem = """{"item": {"sku": "X", "name": "X", "quantity": "lots", "unitPrice": 1}}""";
    private const string LaterItem = """{"item": {"sku": "LATER", "name": "Later", "quantity": 1, "unitPrice": 1}}""";

    /// <summary>The carts projection with a bug for one cart's items, until a fix is deployed.</summary>
    private sealed class BrokenFor(string streamId) : AlteredCartsProjection
    {
        public bool Fixed { get; set; }

        public override Task<ProjectionWrites> ApplyAsync(NpgsqlConnection connection, TenantId tenant, IReadOnlyList<RecordedMessage> messages, CancellationToken ct) =>
            !Fixed && messages.Any(m => m.StreamId == streamId && m.MessageType == "ItemAddedToCart")
                ? throw new InvalidOperationException($"no price list for {streamId}")
                : Carts.Projection.ApplyAsync(connection, tenant, messages, ct);
    }

    private ParkedStreams Operator(IProjection projection) => new(db.Postgres, [projection], NullLogger<ParkedStreams>.Instance);

    private async Task<TenantId> TwoCartsAsync()
    {
        var tenant = StoreDatabase.NewTenant();
        foreach (var cart in new[] { "a", "b" }) await Carts.HandleAsync(db, tenant, cart, Carts.Create(tenant, cart));
        return tenant;
    }

    /// <summary>Cart b parked at position 2 (malformed), a well-formed item waiting behind it at 3.</summary>
    private async Task<TenantId> ParkedAtTwoWithOneBehindAsync()
    {
        var tenant = await TwoCartsAsync();
        await OpenTransaction.AppendAloneAsync(db, tenant, "b", "ItemAddedToCart", MalformedItem);
        await OpenTransaction.AppendAloneAsync(db, tenant, "b", "ItemAddedToCart", LaterItem);
        await Carts.Processor(db, tenant).CatchUpAsync();
        return tenant;
    }

    private Task<long> BookmarkAsync(TenantId tenant, string cartId) => db.ScalarAsync<long>(
        "SELECT last_processed_position FROM emt_subscriptions WHERE partition = $1 AND subscription_id = $2", tenant.Value, $"carts-read-model:{cartId}");

    [Fact]
    public async Task Once_the_fix_is_deployed_a_retry_applies_the_parked_message_and_every_one_that_waited_behind_it()
    {
        var tenant = await TwoCartsAsync();
        var projection = new BrokenFor("b");
        for (var i = 1; i <= 3; i++) await Carts.HandleAsync(db, tenant, "b", Carts.Add(tenant, "b", $"S{i}", i, 1));
        await Carts.HandleAsync(db, tenant, "a", Carts.Add(tenant, "a", "A", 1, 1));
        await Carts.Processor(db, tenant, projection: projection).CatchUpAsync();
        Assert.Equal((2L, 1L), ((await Carts.ReadModelAsync(db, tenant))["a"].Version, (await Carts.ReadModelAsync(db, tenant))["b"].Version));

        var again = Assert.Single(await Operator(projection).RetryAsync(tenant));
        Assert.Equal(2, again.StillParked!.StreamPosition);
        Assert.Equal(2, (await db.RowsAsync("SELECT attempts FROM cartgraph_parked_messages WHERE tenant_id = $1", tenant.Value))[0][0]);

        projection.Fixed = true;
        var retried = Assert.Single(await Operator(projection).RetryAsync(tenant, "b"));

        Assert.Equal(("b", 4L, (ParkedMessage?)null), (retried.StreamId, retried.Bookmark, retried.StillParked));
        var (state, version) = await Carts.FoldAsync(db, tenant, "b");
        var row = (await Carts.ReadModelAsync(db, tenant))["b"];
        Assert.Equal((version, state), (row.Version, row.State));
        Assert.Empty(await Operator(projection).ListAsync(tenant));

        // The processor takes the replayed messages for redeliveries, and goes on with the stream.
        await Carts.HandleAsync(db, tenant, "b", Carts.Add(tenant, "b", "S4", 1, 1));
        await Carts.Processor(db, tenant, projection: projection).CatchUpAsync();
        Assert.Equal(5L, (await Carts.ReadModelAsync(db, tenant))["b"].Version);
    }

    [Fact]
    public async Task Skipping_passes_over_that_one_message_and_the_stream_goes_on_and_the_decision_is_kept()
    {
        var tenant = await ParkedAtTwoWithOneBehindAsync();

        var wrong = await Operator(Carts.Projection).SkipAsync(tenant, "b", 3, "ops@test");
        Assert.True(wrong.IsLeft);
        Assert.Contains("waits at position 2, not 3", wrong.Match(_ => "", problem => problem));
        Assert.Equal(1L, await BookmarkAsync(tenant, "b"));

        var skipped = await Operator(Carts.Projection).SkipAsync(tenant, "b", 2, "ops@test");

        Assert.Equal(("b", 3L, (ParkedMessage?)null), skipped.Match(o => (o.StreamId, o.Bookmark, o.StillParked), p => throw new Xunit.Sdk.XunitException(p)));
        var row = (await Carts.ReadModelAsync(db, tenant))["b"];
        Assert.Equal((3L, 1), (row.Version, row.Items.Find("LATER").Map(l => l.Quantity).IfNone(0)));
        Assert.Equal(3L, await BookmarkAsync(tenant, "b"));
        var decision = Assert.Single(await db.RowsAsync(
            "SELECT stream_position, skipped_by, skipped_at IS NOT NULL FROM cartgraph_parked_messages WHERE tenant_id = $1", tenant.Value));
        Assert.Equal([2L, "ops@test", true], decision);
        Assert.Empty(await Operator(Carts.Projection).ListAsync(tenant));
    }

    [Fact]
    public async Task A_rebuild_passes_over_a_skipped_message_again_and_parks_nothing()
    {
        var tenant = await ParkedAtTwoWithOneBehindAsync();
        Assert.True((await Operator(Carts.Projection).SkipAsync(tenant, "b", 2, "ops@test")).IsRight);

        await new ProjectionRebuild(db.Postgres, new ProjectionOptions(), NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], new Progress<RebuildProgress>());

        Assert.Empty(await Operator(Carts.Projection).ListAsync(tenant));
        Assert.Equal(3L, (await Carts.ReadModelAsync(db, tenant))["b"].Version);
    }

    [Fact]
    public async Task A_retry_works_while_an_instance_processes_the_tenant_and_the_instance_goes_on_with_the_stream()
    {
        var tenant = await TwoCartsAsync();
        await using var host = await RunningHost.StartAsync(db);
        await OpenTransaction.AppendAloneAsync(db, tenant, "b", "ItemAddedToCart", MalformedItem);
        await Eventually.Until(() => Operator(Carts.Projection).ListAsync(tenant), parked => parked.Count == 1);

        // The data is repaired in the store (by hand, or by another writer's fix), then the stream applied again.
        await db.RowsAsync("UPDATE emt_messages SET message_data = $2::jsonb WHERE partition = $1 AND stream_id = 'b' AND stream_position = 2",
            tenant.Value, LaterItem);
        Assert.Null(Assert.Single(await Operator(Carts.Projection).RetryAsync(tenant, "b")).StillParked);

        await Carts.HandleAsync(db, tenant, "b", Carts.Add(tenant, "b", "S2", 1, 1));
        var rows = await Eventually.Until(() => Carts.ReadModelAsync(db, tenant), r => r["b"].Version == 3);
        Assert.Equal((3L, 1), (rows["b"].Version, rows["b"].Items.Find("LATER").Map(l => l.Quantity).IfNone(0)));
        Assert.Empty(await Operator(Carts.Projection).ListAsync(tenant));
    }
}
