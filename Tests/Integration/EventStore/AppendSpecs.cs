using System.Text.Json;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

public sealed class AppendSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private Infrastructure.EventStore.EventStore Store => db.Store;

    private static AppendResult Ok(Either<StreamError, AppendResult> result) =>
        result.Match(r => r, e => throw new Xunit.Sdk.XunitException($"append failed: {e.Message}"));

    private static StreamError Refused(Either<StreamError, AppendResult> result) =>
        result.Match(r => throw new Xunit.Sdk.XunitException($"append succeeded at {r.NextStreamPosition}"), e => e);

    [Fact]
    public async Task Positions_start_at_1_and_continue_without_holes()
    {
        var tenant = StoreDatabase.NewTenant();
        var first = Ok(await Store.AppendAsync(tenant, "s", "thing", Events(3), ExpectedVersion.NoStream));
        var second = Ok(await Store.AppendAsync(tenant, "s", "thing", Events(2, 4), ExpectedVersion.Exactly(3)));

        Assert.Equal(3, first.NextStreamPosition);
        Assert.Equal(5, second.NextStreamPosition);
        var read = await Store.ReadStreamAsync(tenant, "s");
        Assert.Equal([1L, 2, 3, 4, 5], read.Select(m => m.StreamPosition));
        Assert.Equal(first.GlobalPositions.Concat(second.GlobalPositions), read.Select(m => m.GlobalPosition));
        Assert.Equal([1, 2, 3, 4, 5], read.Select(m => JsonDocument.Parse(m.Data).RootElement.GetProperty("n").GetInt32()));
        Assert.Equal(5L, await db.ScalarAsync<long>(
            "SELECT stream_position FROM emt_streams WHERE partition = $1 AND stream_id = 's'", tenant.Value));
    }

    [Fact]
    public async Task One_append_is_one_transaction_and_every_row_carries_it()
    {
        var tenant = StoreDatabase.NewTenant();
        var result = Ok(await Store.AppendAsync(tenant, "s", "thing", Events(3), ExpectedVersion.Any));
        var rows = await db.RowsAsync(
            "SELECT transaction_id::text, global_position FROM emt_messages WHERE partition = $1 ORDER BY stream_position", tenant.Value);
        Assert.All(rows, r => Assert.Equal(result.TransactionId.ToString(), r[0]));
        Assert.Equal(result.GlobalPositions, rows.Select(r => (long)r[1]!));
        Assert.True(result.GlobalPositions.Zip(result.GlobalPositions.Skip(1), (a, b) => a < b).All(ascending => ascending));
    }

    [Fact]
    public async Task Rows_hold_kind_id_schema_version_type_and_metadata_in_their_columns()
    {
        var tenant = StoreDatabase.NewTenant();
        Ok(await Store.AppendAsync(tenant, "s", "thing", [Event(1)], ExpectedVersion.Any,
            new MessageContext(CorrelationId: "corr-1", CausationId: "cause-1")));
        var row = (await db.RowsAsync("""
            SELECT message_kind, message_id, message_schema_version, message_type, message_metadata::text, s.stream_type, s.stream_metadata::text
              FROM emt_messages m JOIN emt_streams s USING (stream_id, partition)
             WHERE m.partition = $1
            """, tenant.Value)).Single();
        Assert.Equal("E", row[0]);
        Assert.True(Guid.TryParse((string)row[1]!, out _));
        Assert.Equal("1", row[2]);
        Assert.Equal("Something", row[3]);
        var metadata = JsonDocument.Parse((string)row[4]!).RootElement;
        Assert.Equal("corr-1", metadata.GetProperty("correlationId").GetString());
        Assert.Equal("cause-1", metadata.GetProperty("causationId").GetString());
        Assert.Equal("thing", row[5]);
        Assert.Equal("{}", row[6]);
    }

    [Fact]
    public async Task Any_appends_wherever_the_stream_is_and_creates_it()
    {
        var tenant = StoreDatabase.NewTenant();
        Assert.Equal(1, Ok(await Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.Any)).NextStreamPosition);
        Assert.Equal(3, Ok(await Store.AppendAsync(tenant, "s", "thing", Events(2), ExpectedVersion.Any)).NextStreamPosition);
    }

    [Fact]
    public async Task NoStream_on_an_existing_stream_is_a_conflict_naming_both_versions()
    {
        var tenant = StoreDatabase.NewTenant();
        Ok(await Store.AppendAsync(tenant, "s", "thing", Events(2), ExpectedVersion.NoStream));
        Assert.Equal(
            new StreamError.WrongExpectedVersion("s", ExpectedVersion.NoStream, 2),
            Refused(await Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.NoStream)));
    }

    [Fact]
    public async Task StreamExists_needs_the_stream()
    {
        var tenant = StoreDatabase.NewTenant();
        Assert.Equal(
            new StreamError.WrongExpectedVersion("s", ExpectedVersion.StreamExists, 0),
            Refused(await Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.StreamExists)));
        Ok(await Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.NoStream));
        Assert.Equal(2, Ok(await Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.StreamExists)).NextStreamPosition);
    }

    [Fact]
    public async Task An_exact_version_that_moved_on_is_a_conflict_and_writes_nothing()
    {
        var tenant = StoreDatabase.NewTenant();
        Ok(await Store.AppendAsync(tenant, "s", "thing", Events(3), ExpectedVersion.NoStream));
        Assert.Equal(
            new StreamError.WrongExpectedVersion("s", ExpectedVersion.Exactly(2), 3),
            Refused(await Store.AppendAsync(tenant, "s", "thing", Events(2), ExpectedVersion.Exactly(2))));
        Assert.Equal(
            new StreamError.WrongExpectedVersion("other", ExpectedVersion.Exactly(1), 0),
            Refused(await Store.AppendAsync(tenant, "other", "thing", Events(1), ExpectedVersion.Exactly(1))));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM emt_messages WHERE partition = $1", tenant.Value));
    }

    [Fact]
    public async Task A_stream_is_read_from_to_and_by_count_and_tells_its_position()
    {
        var tenant = StoreDatabase.NewTenant();
        Ok(await Store.AppendAsync(tenant, "s", "thing", Events(10), ExpectedVersion.NoStream));
        Assert.Equal([4L, 5, 6], (await Store.ReadStreamAsync(tenant, "s", fromPosition: 4, toPosition: 6)).Select(m => m.StreamPosition));
        Assert.Equal([8L, 9], (await Store.ReadStreamAsync(tenant, "s", fromPosition: 8, maxCount: 2)).Select(m => m.StreamPosition));
        Assert.Empty(await Store.ReadStreamAsync(tenant, "missing"));
        Assert.True(await Store.StreamExistsAsync(tenant, "s"));
        Assert.False(await Store.StreamExistsAsync(tenant, "missing"));
        Assert.Equal(10L, await Store.StreamPositionAsync(tenant, "s"));
        Assert.Equal(0L, await Store.StreamPositionAsync(tenant, "missing"));
    }
}
