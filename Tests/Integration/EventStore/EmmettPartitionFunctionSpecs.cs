using Npgsql;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// emt_add_partition called as any other service would call it (a Node service on Emmett, psql): it takes no lock
/// that an append holds or waits for, so it neither waits for appends nor deadlocks with them.
/// </summary>
public sealed class EmmettPartitionFunctionSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task Adding_a_partition_while_an_append_holds_both_tables_waits_for_neither()
    {
        var tenant = StoreDatabase.NewTenant();
        await using var append = await db.Postgres.Commands.OpenConnectionAsync();
        await using var adder = await db.Postgres.Dedicated.OpenConnectionAsync();
        await using var transaction = await append.BeginTransactionAsync();
        // An append's locks, held until it commits.
        await Execute(append, "LOCK TABLE ONLY emt_messages, ONLY emt_streams, ONLY emt_subscriptions IN ROW EXCLUSIVE MODE");

        // Done while the append is still open: the caller's own lock timeout never comes into play.
        await Execute(adder, $"SET lock_timeout = '2s'; SELECT emt_add_partition('{tenant}')").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await db.Tenants.ExistsAsync(tenant));
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task Adding_a_partition_that_exists_takes_no_lock()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Tenants.ProvisionAsync(tenant);
        await using var holder = await db.Postgres.Commands.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await Execute(holder, "LOCK TABLE ONLY emt_streams IN ROW EXCLUSIVE MODE");

        await using var adder = await db.Postgres.Dedicated.OpenConnectionAsync();
        await Execute(adder, $"SET lock_timeout = '100ms'; SELECT emt_add_partition('{tenant}')").WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 30 };
        await command.ExecuteNonQueryAsync();
    }
}
