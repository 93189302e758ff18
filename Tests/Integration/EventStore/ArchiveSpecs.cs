using CartGraph.Infrastructure.EventStore;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

public sealed class ArchiveSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task An_archived_stream_is_hidden_from_reads_and_consumers_and_keeps_every_row()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Store.AppendAsync(tenant, "old", "thing", Events(3), ExpectedVersion.NoStream);
        await db.Store.AppendAsync(tenant, "kept", "thing", Events(1), ExpectedVersion.NoStream);

        var archived = await db.Store.ArchiveStreamAsync(tenant, "old");

        Assert.Equal(new ArchiveResult("old", 3, 3), archived.Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message)));
        Assert.Empty(await db.Store.ReadStreamAsync(tenant, "old"));
        Assert.False(await db.Store.StreamExistsAsync(tenant, "old"));
        Assert.Equal(0L, await db.Store.StreamPositionAsync(tenant, "old"));
        var consumed = await Eventually.Until(() => db.Store.ReadMessagesAsync(tenant, ConsumerCursor.Start, 100), m => m.Count > 0);
        Assert.Equal(["kept"], consumed.Select(m => m.StreamId));
        Assert.Equal(3L, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM emt_messages_{tenant}_archived WHERE stream_id = 'old'"));
        Assert.Equal(3L, await db.ScalarAsync<long>(
            $"SELECT stream_position FROM emt_streams_{tenant}_archived WHERE stream_id = 'old'"));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM emt_messages_{tenant}_active WHERE stream_id = 'old'"));
    }

    [Theory]
    [InlineData("any")]
    [InlineData("no stream")]
    [InlineData("exists")]
    [InlineData("exact")]
    public async Task Appending_to_an_archived_stream_is_a_clear_error(string expectation)
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Store.AppendAsync(tenant, "old", "thing", Events(2), ExpectedVersion.NoStream);
        await db.Store.ArchiveStreamAsync(tenant, "old");
        var expected = expectation switch
        {
            "any" => ExpectedVersion.Any,
            "no stream" => ExpectedVersion.NoStream,
            "exists" => ExpectedVersion.StreamExists,
            _ => ExpectedVersion.Exactly(2),
        };

        var result = await db.Store.AppendAsync(tenant, "old", "thing", Events(1), expected);

        Assert.Equal(new StreamError.StreamArchived("old"), result.Match(_ => null!, e => e));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM emt_messages WHERE partition = $1", tenant.Value));
    }

    [Fact]
    public async Task Archiving_twice_or_a_missing_stream_says_why()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Store.AppendAsync(tenant, "old", "thing", Events(1), ExpectedVersion.NoStream);
        await db.Store.ArchiveStreamAsync(tenant, "old");
        Assert.Equal(new StreamError.StreamArchived("old"), (await db.Store.ArchiveStreamAsync(tenant, "old")).Match(_ => null!, e => e));
        Assert.Equal(new StreamError.StreamNotFound("none"), (await db.Store.ArchiveStreamAsync(tenant, "none")).Match(_ => null!, e => e));
    }
}
