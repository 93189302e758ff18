using CartGraph.Infrastructure.EventStore;
using Npgsql;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>The consumers' read never returns a message of a transaction still open, nor skips it later.</summary>
public sealed class ConsumerReadSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task A_late_committing_message_is_read_after_commit_behind_a_cursor_that_passed_later_positions()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Tenants.ProvisionAsync(tenant);
        await db.Store.AppendAsync(tenant, "before", "thing", Events(1), ExpectedVersion.NoStream);

        // A writer takes a global position, then stays open while later writers commit.
        await using var slow = new NpgsqlConnection(db.ConnectionString);
        await slow.OpenAsync();
        await using var open = await slow.BeginTransactionAsync();
        await using (var append = new NpgsqlCommand(
            "SELECT success FROM emt_append_to_stream(ARRAY['id-slow'], ARRAY['{\"slow\": true}'::jsonb], ARRAY['{}'::jsonb], " +
            "ARRAY['1'], ARRAY['Slow'], ARRAY['E'], 'slow', 'thing', 0, $1)", slow, open))
        {
            append.Parameters.Add(new NpgsqlParameter { Value = tenant.Value });
            Assert.Equal(true, await append.ExecuteScalarAsync());
        }
        await db.Store.AppendAsync(tenant, "after", "thing", Events(2), ExpectedVersion.NoStream);

        var whileOpen = await Eventually.Until(() => db.Store.ReadMessagesAsync(tenant, ConsumerCursor.Start, 100), m => m.Count > 0);
        Assert.Equal(["before"], whileOpen.Select(m => m.StreamId));
        await Task.Delay(200);
        Assert.Equal(["before"], (await db.Store.ReadMessagesAsync(tenant, ConsumerCursor.Start, 100)).Select(m => m.StreamId));

        await open.CommitAsync();

        var cursor = whileOpen[^1].Cursor;
        var afterCommit = await Eventually.Until(() => db.Store.ReadMessagesAsync(tenant, cursor, 100), m => m.Count >= 3);
        Assert.Equal(["slow", "after", "after"], afterCommit.Select(m => m.StreamId));
        var slowMessage = afterCommit[0];
        Assert.True(slowMessage.GlobalPosition < afterCommit[1].GlobalPosition,
            "the late message holds an earlier global position than messages committed before it");
        Assert.Empty(await db.Store.ReadMessagesAsync(tenant, afterCommit[^1].Cursor, 100));
    }

    [Fact]
    public async Task Messages_come_in_commit_order_in_batches_after_the_cursor()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var i = 0; i < 5; i++)
            await db.Store.AppendAsync(tenant, $"s{i}", "thing", Events(2), ExpectedVersion.NoStream);
        var all = new List<RecordedMessage>();
        var cursor = ConsumerCursor.Start;
        while (all.Count < 10
               && await Eventually.Until(() => db.Store.ReadMessagesAsync(tenant, cursor, 3), b => b.Count > 0) is { Count: > 0 } batch)
        {
            all.AddRange(batch);
            cursor = batch[^1].Cursor;
        }
        Assert.Equal(10, all.Count);
        Assert.Equal(all.OrderBy(m => m.TransactionId).ThenBy(m => m.GlobalPosition), all);
    }
}
