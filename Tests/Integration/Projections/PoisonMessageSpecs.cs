using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// A message the projection cannot apply parks its stream, whose later messages wait behind it; every other stream of the
/// tenant goes on. A lost connection is no such message: the batch is tried again.
/// </summary>
public sealed class PoisonMessageSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    /// <summary>A known type whose data is not its shape, as another writer of the shared database can store it.</summary>
    private const string MalformedItem = """{"item": {"sku": "X", "name": "X", "quantity": "lots", "unitPrice": 1}}""";

    private const string WellFormedItem = """{"item": {"sku": "LATER", "name": "Later", "quantity": 1, "unitPrice": 1}}""";

    private async Task<TenantId> ThreeCartsProjectedAsync(ProjectionProcessor? processor = null)
    {
        var tenant = StoreDatabase.NewTenant();
        foreach (var cart in new[] { "a", "b", "c" }) await Carts.HandleAsync(db, tenant, cart, Carts.Create(tenant, cart));
        await (processor ?? Carts.Processor(db, tenant)).CatchUpAsync();
        return tenant;
    }

    private Task<List<object?[]>> ParkedAsync(TenantId tenant) => db.RowsAsync("""
        SELECT projection, stream_id, stream_position, message_type, attempts, skipped_at FROM cartgraph_parked_messages
         WHERE tenant_id = $1 ORDER BY stream_id
        """, tenant.Value);

    [Theory]
    [InlineData(1)]
    [InlineData(1_000)]
    public async Task A_malformed_event_parks_its_cart_and_every_other_cart_is_still_projected(int batchSize)
    {
        var tenant = await ThreeCartsProjectedAsync();
        var processor = Carts.Processor(db, tenant, new ProjectionOptions { BatchSize = batchSize });
        await Carts.HandleAsync(db, tenant, "a", Carts.Add(tenant, "a", "A", 1, 1));
        await OpenTransaction.AppendAloneAsync(db, tenant, "b", "ItemAddedToCart", MalformedItem);
        await Carts.HandleAsync(db, tenant, "c", Carts.Add(tenant, "c", "C", 1, 1));
        await OpenTransaction.AppendAloneAsync(db, tenant, "b", "ItemAddedToCart", WellFormedItem);
        await Carts.HandleAsync(db, tenant, "a", Carts.Add(tenant, "a", "A", 2, 1));

        await processor.CatchUpAsync();

        var rows = await Carts.ReadModelAsync(db, tenant);
        Assert.Equal((3L, 3), (rows["a"].Version, rows["a"].Items.Find("A").Map(l => l.Quantity).IfNone(0)));
        Assert.Equal(2L, rows["c"].Version);
        Assert.Equal(1L, rows["b"].Version); // waits before the malformed event, and so does the well-formed one behind it
        var parked = Assert.Single(await ParkedAsync(tenant));
        Assert.Equal(["carts-read-model", "b", 2L, "ItemAddedToCart", 1, null], parked);
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT last_processed_position FROM emt_subscriptions WHERE partition = $1 AND subscription_id = 'carts-read-model:b'", tenant.Value));
    }

    [Fact]
    public async Task An_event_of_a_schema_version_this_version_does_not_know_parks_its_cart()
    {
        var tenant = await ThreeCartsProjectedAsync();
        await OpenTransaction.AppendAloneAsync(db, tenant, "b", "ItemAddedToCart", WellFormedItem, schemaVersion: "2");
        await Carts.HandleAsync(db, tenant, "c", Carts.Add(tenant, "c", "C", 1, 1));

        await Carts.Processor(db, tenant).CatchUpAsync();

        Assert.Equal(["b", 2L], Assert.Single(await ParkedAsync(tenant))[1..3]);
        Assert.Contains("schema version '2' is unknown", (string)(await db.RowsAsync("SELECT error FROM cartgraph_parked_messages WHERE tenant_id = $1", tenant.Value))[0][0]!);
        Assert.Equal(2L, (await Carts.ReadModelAsync(db, tenant))["c"].Version);
    }

    [Fact]
    public async Task A_parked_cart_stays_parked_for_the_next_owner_and_its_new_events_wait()
    {
        var tenant = await ThreeCartsProjectedAsync();
        await OpenTransaction.AppendAloneAsync(db, tenant, "b", "ItemAddedToCart", MalformedItem);
        await Carts.Processor(db, tenant).CatchUpAsync();

        // Another processor (a restart, another instance) takes over from the stored cursor.
        var next = Carts.Processor(db, tenant, new ProjectionOptions { BatchSize = 1 });
        await OpenTransaction.AppendAloneAsync(db, tenant, "b", "ItemAddedToCart", WellFormedItem);
        await Carts.HandleAsync(db, tenant, "c", Carts.Add(tenant, "c", "C", 1, 1));
        await next.CatchUpAsync();

        var rows = await Carts.ReadModelAsync(db, tenant);
        Assert.Equal((1L, 2L), (rows["b"].Version, rows["c"].Version));
        Assert.Equal(2L, Assert.Single(await ParkedAsync(tenant))[2]);
    }

    /// <summary>Writes what the carts projection writes, plus a statement PostgreSQL refuses for one stream.</summary>
    private sealed class RefusedFor(string streamId) : AlteredCartsProjection
    {
        public override async Task<ProjectionWrites> ApplyAsync(NpgsqlConnection connection, TenantId tenant, IReadOnlyList<RecordedMessage> messages, CancellationToken ct)
        {
            var writes = await Carts.Projection.ApplyAsync(connection, tenant, messages, ct);
            return messages.Any(m => m.StreamId == streamId)
                ? writes with { Commands = [.. writes.Commands, new NpgsqlBatchCommand("SELECT 1 / 0")] }
                : writes;
        }
    }

    [Fact]
    public async Task Writes_that_PostgreSQL_refuses_for_one_stream_park_that_stream_alone()
    {
        var tenant = await ThreeCartsProjectedAsync();
        foreach (var cart in new[] { "a", "b", "c" }) await Carts.HandleAsync(db, tenant, cart, Carts.Add(tenant, cart, "A", 1, 1));

        await Carts.Processor(db, tenant, projection: new RefusedFor("b")).CatchUpAsync();

        var rows = await Carts.ReadModelAsync(db, tenant);
        Assert.Equal((2L, 1L, 2L), (rows["a"].Version, rows["b"].Version, rows["c"].Version));
        var parked = Assert.Single(await ParkedAsync(tenant));
        Assert.Equal(["b", 2L], parked[1..3]);
        Assert.Contains("22012", (string)(await db.RowsAsync("SELECT error FROM cartgraph_parked_messages WHERE tenant_id = $1", tenant.Value))[0][0]!);
    }

    /// <summary>Ends its own database session in the middle of the batch's writes: the connection is lost, the data is fine.</summary>
    private sealed class ConnectionLostOnce : AlteredCartsProjection
    {
        public bool Lost { get; private set; }

        public override async Task<ProjectionWrites> ApplyAsync(NpgsqlConnection connection, TenantId tenant, IReadOnlyList<RecordedMessage> messages, CancellationToken ct)
        {
            var writes = await Carts.Projection.ApplyAsync(connection, tenant, messages, ct);
            if (Lost) return writes;
            Lost = true;
            return writes with { Commands = [.. writes.Commands, new NpgsqlBatchCommand("SELECT pg_terminate_backend(pg_backend_pid())")] };
        }
    }

    [Fact]
    public async Task A_lost_connection_is_not_a_poison_message_the_batch_is_tried_again()
    {
        var tenant = await ThreeCartsProjectedAsync();
        foreach (var cart in new[] { "a", "b", "c" }) await Carts.HandleAsync(db, tenant, cart, Carts.Add(tenant, cart, "A", 1, 1));
        var projection = new ConnectionLostOnce();
        var processor = Carts.Processor(db, tenant, projection: projection);

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Eventually.Until(() => processor.ProcessBatchAsync(), n => n > 0));
        await Carts.Processor(db, tenant, projection: projection).CatchUpAsync();

        Assert.True(projection.Lost);
        Assert.Empty(await ParkedAsync(tenant));
        Assert.All((await Carts.ReadModelAsync(db, tenant)).Values, cart => Assert.Equal(2L, cart.Version));
    }
}
