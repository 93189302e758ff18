using System.Text.Json;
using System.Text.Json.Nodes;
using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Tests.Integration;
using CartGraph.Tests.Integration.Projections;
using static CartGraph.Tests.Emmett.SharedDatabase;

namespace CartGraph.Tests.Emmett;

/// <summary>
/// Emmett 0.42's own Node client (@event-driven-io/emmett-postgresql, pinned in js/package-lock.json) against a
/// CartGraph database, while CartGraph keeps writing and projecting: see <see cref="SharedDatabase"/>.
/// </summary>
public sealed class EmmettPeerSpecs(SharedDatabase shared) : IClassFixture<SharedDatabase>
{
    private StoreDatabase Db => shared.Db;

    private JsonElement Emmett(string name) => shared.Emmett.GetProperty(name);

    private static long Long(JsonElement e) => long.Parse(e.GetString()!);

    private static bool SameJson(string expected, string actual) => JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual));

    private Task<List<object?[]>> Rows(string streamId) => Db.RowsAsync("""
        SELECT partition, stream_position, global_position, transaction_id::text::bigint, message_kind,
               message_metadata::text, message_schema_version, message_id, message_type
          FROM emt_messages WHERE stream_id = $1 ORDER BY stream_position
        """, streamId);

    [NpmFact]
    public async Task Emmett_reads_the_cart_stream_CartGraph_wrote_in_a_tenant_partition()
    {
        var ours = await Db.Store.ReadStreamAsync(shared.Tenant, SeedCart);
        var theirs = Emmett("cart").GetProperty("events").EnumerateArray().ToList();

        Assert.Equal("5", Emmett("cart").GetProperty("currentStreamVersion").GetString());
        Assert.Equal(["CartCreated", "ItemAddedToCart", "ItemAddedToCart", "ItemRemovedFromCart", "CartCheckedOut"],
            theirs.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(ours.Select(m => m.MessageType), theirs.Select(e => e.GetProperty("type").GetString()));
        foreach (var (message, e) in ours.Zip(theirs))
        {
            Assert.True(SameJson(message.Data, e.GetProperty("data").GetRawText()), e.GetRawText());
            var metadata = e.GetProperty("metadata");
            Assert.Equal(message.StreamPosition, Long(metadata.GetProperty("streamPosition")));
            Assert.Equal(message.GlobalPosition, Long(metadata.GetProperty("globalPosition")));
            Assert.Equal(message.MessageId, metadata.GetProperty("messageId").GetString());
            Assert.Equal(SeedCart, metadata.GetProperty("streamName").GetString());
        }
    }

    [NpmFact]
    public async Task Emmetts_appendToStream_writes_to_its_default_partition_whatever_partition_it_is_given()
    {
        var stream = "SELECT partition, stream_position FROM emt_streams WHERE stream_id = $1";
        Assert.Equal(["emt:default", 3L], Assert.Single(await Db.RowsAsync(stream, shared.OwnStream)));
        Assert.Equal(["emt:default", 2L], Assert.Single(await Db.RowsAsync(stream, shared.ProbeStream)));
        Assert.All(await Rows(shared.ProbeStream), row => Assert.Equal("emt:default", row[0]));
        Assert.Empty(await Db.Store.ReadStreamAsync(shared.Tenant, shared.ProbeStream));
    }

    [NpmFact]
    public async Task Emmetts_appends_get_positions_one_transaction_per_append_kind_E_and_the_metadata_given()
    {
        var rows = await Rows(shared.OwnStream);
        var appends = Emmett("appends").EnumerateArray().ToList();
        var read = Emmett("own").GetProperty("events").EnumerateArray().ToList();
        var metadata = $$"""{"correlationId": "emmett-{{shared.OwnStream}}", "causationId": "peer.mjs"}""";

        Assert.Equal([1L, 2, 3], rows.Select(r => (long)r[1]!));
        Assert.Equal(["OrderPlaced", "OrderConfirmed", "OrderShipped"], rows.Select(r => (string)r[8]!));
        Assert.Equal([2L, 3], appends.Select(a => Long(a.GetProperty("nextExpectedStreamVersion"))));
        Assert.Equal([(long)rows[1][2]!, (long)rows[2][2]!], appends.Select(a => Long(a.GetProperty("lastEventGlobalPosition"))));
        Assert.Equal(rows.Select(r => (long)r[2]!), read.Select(e => Long(e.GetProperty("metadata").GetProperty("globalPosition"))));
        Assert.Equal(rows[0][3], rows[1][3]);
        Assert.True((long)rows[2][3]! > (long)rows[1][3]!);
        Assert.All(rows, r => Assert.Equal(("E", "1"), ((string)r[4]!, (string)r[6]!)));
        Assert.True(SameJson(metadata, (string)rows[0][5]!) && SameJson(metadata, (string)rows[1][5]!), (string)rows[0][5]!);
        Assert.Equal("{}", rows[2][5]);
        Assert.Equal(read.Select(e => e.GetProperty("metadata").GetProperty("messageId").GetString()), rows.Select(r => (string)r[7]!));
        Assert.Equal(["order", "{}"], (await Db.RowsAsync(
            "SELECT stream_type, stream_metadata::text FROM emt_streams WHERE stream_id = $1", shared.OwnStream)).Single());
    }

    [NpmFact]
    public async Task A_wrong_expected_version_fails_with_Emmetts_concurrency_error_and_writes_nothing()
    {
        foreach (var refusal in new[] { Emmett("wrongVersion"), Emmett("alreadyExists") })
        {
            Assert.True(refusal.GetProperty("refused").GetBoolean(), refusal.GetRawText());
            Assert.True(refusal.GetProperty("isConcurrencyError").GetBoolean());
            Assert.Equal(412, refusal.GetProperty("errorCode").GetInt32());
        }
        Assert.Equal(3, (await Rows(shared.OwnStream)).Count);
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM emt_messages WHERE message_type = 'Lost'"));
        Assert.Equal("3", Emmett("own").GetProperty("currentStreamVersion").GetString());
    }

    [NpmFact]
    public void Emmett_0_42_sends_no_expectation_for_STREAM_DOES_NOT_EXIST_so_it_appends_to_an_existing_stream()
    {
        var (created, unenforced) = (Emmett("probe")[0], Emmett("probe")[1]);
        Assert.False(created.GetProperty("refused").GetBoolean(), created.GetRawText());
        Assert.False(unenforced.GetProperty("refused").GetBoolean(), unenforced.GetRawText());
        Assert.Equal("2", unenforced.GetProperty("result").GetProperty("nextExpectedStreamVersion").GetString());
    }

    [NpmFact]
    public async Task Emmetts_append_call_writes_a_tenants_cart_that_CartGraph_reads_in_commit_order()
    {
        var append = Emmett("tenantAppend");
        Assert.True(append.GetProperty("success").GetBoolean(), append.GetRawText());
        Assert.False(Emmett("tenantStale").GetProperty("success").GetBoolean());
        Assert.Equal("3", append.GetProperty("next_stream_position").GetString());

        var cart = await Db.Store.ReadStreamAsync(shared.Tenant, SharedCart);
        Assert.Equal(Enumerable.Range(1, cart.Count).Select(i => (long)i), cart.Select(m => m.StreamPosition));
        var fromNode = cart[2];
        Assert.Equal("ItemAddedToCart", fromNode.MessageType);
        Assert.Equal(Long(append.GetProperty("global_positions")[0]), fromNode.GlobalPosition);
        Assert.Equal(ulong.Parse(append.GetProperty("transaction_id").GetString()!), fromNode.TransactionId);
        Assert.Contains("\"peer.mjs\"", fromNode.Metadata);

        // Ours, once every transaction is visible; Emmett's consumer read saw a prefix of the same order (as much as other
        // transactions of the cluster, still open then, let it see).
        var total = await Db.ScalarAsync<long>("SELECT count(*) FROM emt_messages WHERE partition = $1", shared.Tenant.Value);
        var consumed = await Eventually.Until(() => Db.Store.ReadMessagesAsync(shared.Tenant, ConsumerCursor.Start, 100_000),
            messages => messages.Count == total, TimeSpan.FromSeconds(30));
        Assert.Equal(total, consumed.Count);
        Assert.Equal(consumed.Select(m => m.Cursor).Order(), consumed.Select(m => m.Cursor));
        Assert.Contains(consumed, m => m.StreamId == SharedCart && m.GlobalPosition == fromNode.GlobalPosition);
        var theirs = Emmett("tenantMessages").EnumerateArray()
            .Select(e => (e.GetProperty("streamName").GetString(), Long(e.GetProperty("streamPosition")), Long(e.GetProperty("globalPosition"))))
            .ToList();
        Assert.Equal(consumed.Take(theirs.Count).Select(m => ((string?)m.StreamId, m.StreamPosition, m.GlobalPosition)), theirs);
    }

    [NpmFact]
    public async Task CartGraph_keeps_writing_and_projecting_its_carts_before_during_and_after_Emmett()
    {
        Assert.True(shared.WritesDuring > 1, $"{shared.WritesDuring} writes while node ran");
        var readModel = await Carts.ReadModelAsync(Db, shared.Tenant);
        Assert.Equal([BusyCart, SeedCart, SharedCart], readModel.Keys.Order());
        foreach (var cartId in readModel.Keys)
        {
            var (state, version) = await Carts.FoldAsync(Db, shared.Tenant, cartId);
            Assert.Equal(version, readModel[cartId].Version);
            Assert.Equal(state, readModel[cartId].State);
        }
        var checkedOut = Assert.IsType<CartState.CheckedOutCart>(readModel[SharedCart].State);
        Assert.Equal(20m + 15 + 7, checkedOut.Total);
        Assert.Equal(5L, readModel[SharedCart].Version);
    }

    [NpmFact]
    public async Task Emmett_with_autoMigration_None_leaves_CartGraphs_schema_as_it_was()
    {
        // Emmett 0.42's migrations would run here without an error: record themselves in dmb_migrations, add
        // emt_processors and emt_projections, make message_kind VARCHAR(1) and replace emt_add_partition.
        Assert.Equal([null, null, null], (await Db.RowsAsync(
            "SELECT to_regclass('dmb_migrations')::text, to_regclass('emt_processors')::text, to_regclass('emt_projections')::text")).Single());
        Assert.Equal("character", await Db.ScalarAsync<string>(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'emt_messages' AND column_name = 'message_kind'"));
        Assert.Contains("cartgraph_partition_of", await Db.ScalarAsync<string>("SELECT prosrc FROM pg_proc WHERE proname = 'emt_add_partition'"));
    }

    [NpmFact]
    public async Task A_tenant_Emmett_provisions_with_emt_add_partition_is_one_CartGraph_lists_reads_and_writes()
    {
        Assert.True(Emmett("newTenantAppend").GetProperty("success").GetBoolean());
        Assert.Contains(shared.EmmettsTenant, await Db.Tenants.ListAsync());
        Assert.Equal(["Noted"], (await Db.Store.ReadStreamAsync(shared.EmmettsTenant, EmmettsStream)).Select(m => m.MessageType));
        Assert.Equal(1L, (await Carts.ReadModelAsync(Db, shared.EmmettsTenant))["cart"].Version);
        Assert.Equal(1L, await Db.ScalarAsync<long>($"SELECT count(*) FROM emt_messages_{shared.EmmettsTenant}_active WHERE stream_id = 'cart'"));
    }
}
