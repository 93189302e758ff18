using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Schema;
using LanguageExt;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>Message ids given to an append are unique in their stream: an append of ids already there is answered with where they went.</summary>
public sealed class UniqueMessageIdSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private Infrastructure.EventStore.EventStore Store => db.Store;

    private static NewMessage[] Keyed(string key, int count, int first = 1) =>
        Enumerable.Range(first, count).Select((n, i) => new NewMessage("Something", $$"""{"n": {{n}}}""", MessageId: $"{key}:{i + 1}")).ToArray();

    private static AppendResult Ok(Either<StreamError, AppendResult> result) =>
        result.Match(r => r, e => throw new Xunit.Sdk.XunitException($"append failed: {e.Message}"));

    [Fact]
    public async Task An_append_of_ids_already_in_the_stream_appends_nothing_and_answers_the_positions_they_got()
    {
        var tenant = StoreDatabase.NewTenant();
        var first = Ok(await Store.AppendAsync(tenant, "s", "thing", Keyed("k", 2), ExpectedVersion.NoStream));
        Ok(await Store.AppendAsync(tenant, "s", "thing", Messages.Events(3, 3), ExpectedVersion.Exactly(2)));

        foreach (var expected in new[] { ExpectedVersion.Any, ExpectedVersion.StreamExists, ExpectedVersion.NoStream, ExpectedVersion.Exactly(2), ExpectedVersion.Exactly(5) })
        {
            var again = Ok(await Store.AppendAsync(tenant, "s", "thing", Keyed("k", 2), expected));
            Assert.True(again.AlreadyAppended, $"expected {expected}");
            Assert.Equal(2, again.NextStreamPosition);
            Assert.Equal(first.GlobalPositions, again.GlobalPositions);
            Assert.Equal(first.TransactionId, again.TransactionId);
        }
        Assert.False(first.AlreadyAppended);
        Assert.Equal(5, (await Store.ReadStreamAsync(tenant, "s")).Count);
    }

    [Fact]
    public async Task Racing_appends_of_the_same_ids_append_them_once()
    {
        var tenant = StoreDatabase.NewTenant();
        Ok(await Store.AppendAsync(tenant, "s", "thing", Messages.Events(1), ExpectedVersion.NoStream));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(async () => Ok(await Store.AppendAsync(tenant, "s", "thing", Keyed("race", 3), ExpectedVersion.Any)))));

        Assert.Single(results, r => !r.AlreadyAppended);
        Assert.All(results, r => Assert.Equal(4, r.NextStreamPosition));
        Assert.Equal(4, (await Store.ReadStreamAsync(tenant, "s")).Count);
    }

    [Fact]
    public async Task Racing_creations_of_a_stream_with_the_same_ids_create_it_once()
    {
        var tenant = StoreDatabase.NewTenant();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(async () => Ok(await Store.AppendAsync(tenant, "new", "thing", Keyed("create", 1), ExpectedVersion.NoStream)))));

        Assert.Single(results, r => !r.AlreadyAppended);
        Assert.Single(await Store.ReadStreamAsync(tenant, "new"));
    }

    [Fact]
    public async Task Ids_of_an_archived_stream_are_still_known_to_it()
    {
        var tenant = StoreDatabase.NewTenant();
        var first = Ok(await Store.AppendAsync(tenant, "old", "thing", Keyed("k", 1), ExpectedVersion.NoStream));
        await Store.ArchiveStreamAsync(tenant, "old");

        var again = Ok(await Store.AppendAsync(tenant, "old", "thing", Keyed("k", 1), ExpectedVersion.Exactly(1)));

        Assert.True(again.AlreadyAppended);
        Assert.Equal(first.GlobalPositions, again.GlobalPositions);
    }

    [Fact]
    public async Task An_append_of_which_only_some_ids_are_there_is_refused_and_changes_nothing()
    {
        var tenant = StoreDatabase.NewTenant();
        Ok(await Store.AppendAsync(tenant, "s", "thing", Keyed("k", 1), ExpectedVersion.NoStream));

        var mixed = await Store.AppendAsync(tenant, "s", "thing", Keyed("k", 2), ExpectedVersion.Any);

        Assert.IsType<StreamError.InvalidAppend>(mixed.Match(_ => null!, e => e));
        Assert.Single(await Store.ReadStreamAsync(tenant, "s"));
    }

    [Fact]
    public async Task The_same_id_in_another_stream_is_another_message()
    {
        var tenant = StoreDatabase.NewTenant();
        Ok(await Store.AppendAsync(tenant, "a", "thing", Keyed("k", 1), ExpectedVersion.NoStream));
        var other = Ok(await Store.AppendAsync(tenant, "b", "thing", Keyed("k", 1), ExpectedVersion.NoStream));
        Assert.False(other.AlreadyAppended);
    }

    [Fact]
    public async Task Message_ids_are_unique_per_stream_by_an_index_of_the_schema()
    {
        Assert.Contains(Migration.All, m => m.Sql.Contains("UNIQUE INDEX", StringComparison.Ordinal) && m.Sql.Contains("message_id", StringComparison.Ordinal));
        var tenant = StoreDatabase.NewTenant();
        Ok(await Store.AppendAsync(tenant, "s", "thing", Keyed("k", 1), ExpectedVersion.NoStream));
        var duplicate = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ScalarAsync<int>("""
            INSERT INTO emt_messages (stream_id, stream_position, partition, message_data, message_metadata, message_schema_version,
                                      message_type, message_kind, message_id, transaction_id)
            VALUES ('s', 2, $1, '{}', '{}', '1', 'Something', 'E', 'k:1', pg_current_xact_id())
            """, tenant.Value));
        Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
    }
}
