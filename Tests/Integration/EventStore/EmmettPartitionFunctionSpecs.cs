using Npgsql;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// emt_add_partition called as any other service would call it (a Node service on Emmett, psql), without
/// CartGraph's own lock timeout and retry around it.
/// </summary>
public sealed class EmmettPartitionFunctionSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task Adding_a_partition_while_an_append_holds_one_table_and_wants_the_other_deadlocks_neither()
    {
        var tenant = StoreDatabase.NewTenant();
        await using var append = await db.Postgres.Commands.OpenConnectionAsync();
        await using var adder = await db.Postgres.Commands.OpenConnectionAsync();
        await using var transaction = await append.BeginTransactionAsync();
        // An append's locks, one at a time: it holds emt_messages, and will want emt_streams.
        await Execute(append, "LOCK TABLE ONLY emt_messages IN ROW EXCLUSIVE MODE");

        var adding = Execute(adder, $"SELECT emt_add_partition('{tenant}')");
        await Eventually.Until(
            () => db.ScalarAsync<string>("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", adder.ProcessID),
            waiting => waiting == "Lock", TimeSpan.FromSeconds(10));
        await Execute(append, "LOCK TABLE ONLY emt_streams IN ROW EXCLUSIVE MODE");
        await transaction.CommitAsync();

        await adding.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await db.Tenants.ExistsAsync(tenant));
    }

    [Fact]
    public async Task Adding_a_partition_that_exists_takes_no_lock()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Tenants.ProvisionAsync(tenant);
        await using var holder = await db.Postgres.Commands.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await Execute(holder, "LOCK TABLE ONLY emt_streams IN ROW EXCLUSIVE MODE");

        await using var adder = await db.Postgres.Commands.OpenConnectionAsync();
        await Execute(adder, $"SET lock_timeout = '100ms'; SELECT emt_add_partition('{tenant}')").WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 30 };
        await command.ExecuteNonQueryAsync();
    }
}
