using System.Text.Json;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using Npgsql;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// Emmett's emt_append_to_stream, called as Emmett's Node client calls it, keeps the same rules as the
/// store's own append: compare-and-set, positions without holes, refusal as data, archived streams closed.
/// </summary>
public sealed class EmmettAppendFunctionSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private sealed record Outcome(bool Success, long? NextStreamPosition, long[]? GlobalPositions, ulong? TransactionId);

    private async Task<Outcome> Call(TenantId tenant, string streamId, long? expected, params string[] data)
    {
        await using var command = db.Postgres.Commands.CreateCommand("""
            SELECT success, next_stream_position, global_positions, transaction_id
              FROM emt_append_to_stream($1, $2::jsonb[], $3::jsonb[], $4, $5, $6, $7, 'thing', $8, $9)
            """);
        var n = data.Length;
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, n).Select(_ => Guid.NewGuid().ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = data });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Repeat("{}", n).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Repeat("1", n).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Repeat("FromNode", n).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Repeat("E", n).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)expected ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = tenant.Value });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Outcome(
            reader.GetBoolean(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<long[]>(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<ulong>(3));
    }

    private async Task<TenantId> Tenant()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Tenants.ProvisionAsync(tenant);
        return tenant;
    }

    [Fact]
    public async Task Null_appends_after_the_current_position_creating_the_stream()
    {
        var tenant = await Tenant();
        var first = await Call(tenant, "s", null, """{"n": 1}""", """{"n": 2}""");
        var second = await Call(tenant, "s", null, """{"n": 3}""");
        Assert.Equal((true, 2L), (first.Success, first.NextStreamPosition!.Value));
        Assert.Equal((true, 3L), (second.Success, second.NextStreamPosition!.Value));
        Assert.Equal(2, first.GlobalPositions!.Length);
        var rows = await db.Store.ReadStreamAsync(tenant, "s");
        Assert.Equal([1L, 2, 3], rows.Select(m => m.StreamPosition));
        Assert.Equal([1, 2, 3], rows.Select(m => JsonDocument.Parse(m.Data).RootElement.GetProperty("n").GetInt32()));
        Assert.Equal(first.TransactionId, rows[0].TransactionId);
        Assert.Equal(first.GlobalPositions.Concat(second.GlobalPositions!), rows.Select(m => m.GlobalPosition));
    }

    [Fact]
    public async Task An_expected_position_is_compared_and_set_and_a_mismatch_writes_nothing()
    {
        var tenant = await Tenant();
        Assert.True((await Call(tenant, "s", 0, "{}")).Success);
        Assert.False((await Call(tenant, "s", 0, "{}")).Success);
        Assert.False((await Call(tenant, "s", 5, "{}")).Success);
        Assert.True((await Call(tenant, "s", 1, "{}", "{}")).Success);
        Assert.Equal([1L, 2, 3], (await db.Store.ReadStreamAsync(tenant, "s")).Select(m => m.StreamPosition));
    }

    [Fact]
    public async Task A_negative_expected_position_is_refused_as_Emmetts_own_function_refuses_it()
    {
        var tenant = await Tenant();
        Assert.False((await Call(tenant, "new", -1, "{}")).Success);
        Assert.False(await db.Store.StreamExistsAsync(tenant, "new"));
        Assert.True((await Call(tenant, "old", 0, "{}")).Success);
        Assert.False((await Call(tenant, "old", -1, "{}")).Success);
        Assert.Equal([1L], (await db.Store.ReadStreamAsync(tenant, "old")).Select(m => m.StreamPosition));
    }

    [Fact]
    public async Task Its_streams_and_the_stores_are_one_and_the_same()
    {
        var tenant = await Tenant();
        await db.Store.AppendAsync(tenant, "shared", "thing", Events(2), ExpectedVersion.NoStream);
        Assert.Equal(3L, (await Call(tenant, "shared", 2, "{}")).NextStreamPosition);
        Assert.True((await db.Store.AppendAsync(tenant, "shared", "thing", Events(1), ExpectedVersion.Exactly(3))).IsRight);
    }

    [Fact]
    public async Task An_archived_stream_takes_nothing_from_it_either()
    {
        var tenant = await Tenant();
        await Call(tenant, "s", 0, "{}");
        await db.Store.ArchiveStreamAsync(tenant, "s");
        Assert.False((await Call(tenant, "s", null, "{}")).Success);
        Assert.False((await Call(tenant, "s", 0, "{}")).Success);
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM emt_messages_{tenant}_active"));
    }

    [Fact]
    public async Task Its_default_partition_is_emmetts()
    {
        await using var command = db.Postgres.Commands.CreateCommand("""
            SELECT success FROM emt_append_to_stream(ARRAY['id-1'], ARRAY['{}'::jsonb], ARRAY['{}'::jsonb], ARRAY['1'],
                                                     ARRAY['FromNode'], ARRAY['E'], $1, 'thing')
            """);
        var stream = $"default-{Guid.NewGuid():N}";
        command.Parameters.Add(new NpgsqlParameter { Value = stream });
        Assert.Equal(true, await command.ExecuteScalarAsync());
        Assert.Equal("emt:default", await db.ScalarAsync<string>("SELECT partition FROM emt_messages WHERE stream_id = $1", stream));
    }
}
