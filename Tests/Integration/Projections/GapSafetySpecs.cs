using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>An append that stays open holds the processor back; once committed, its event is applied.</summary>
public sealed class GapSafetySpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task A_late_commit_is_applied_though_later_global_positions_were_processed_first()
    {
        var tenant = StoreDatabase.NewTenant();
        await Carts.HandleAsync(db, tenant, "slow", Carts.Create(tenant, "slow"));
        await Carts.HandleAsync(db, tenant, "fast", Carts.Create(tenant, "fast"));
        var processor = Carts.Processor(db, tenant);
        await processor.CatchUpAsync();

        // The slow writer takes its global position now and commits last.
        await using var slow = new NpgsqlConnection(db.ConnectionString);
        await slow.OpenAsync();
        await using var open = await slow.BeginTransactionAsync();
        await using (var append = new NpgsqlCommand("""
            SELECT success FROM emt_append_to_stream(ARRAY['late-1'],
                ARRAY['{"item": {"sku": "LATE", "name": "Late item", "quantity": 7, "unitPrice": 1}}'::jsonb],
                ARRAY['{}'::jsonb], ARRAY['1'], ARRAY['ItemAddedToCart'], ARRAY['E'], 'slow', 'cart', 1, $1)
            """, slow, open))
        {
            append.Parameters.Add(new NpgsqlParameter { Value = tenant.Value });
            Assert.Equal(true, await append.ExecuteScalarAsync());
        }
        await Carts.HandleAsync(db, tenant, "fast", Carts.Add(tenant, "fast", "A", 1, 1));
        await Carts.HandleAsync(db, tenant, "fast", Carts.Add(tenant, "fast", "A", 2, 1));

        for (var i = 0; i < 20; i++) await processor.ProcessBatchAsync();
        var whileOpen = await Carts.ReadModelAsync(db, tenant);
        Assert.Equal(1, whileOpen["slow"].Version);
        Assert.True(whileOpen["fast"].Version <= 3);

        await open.CommitAsync();
        await processor.CatchUpAsync();

        var after = await Carts.ReadModelAsync(db, tenant);
        Assert.Equal(2, after["slow"].Version);
        Assert.Equal(7, after["slow"].Items.Find("LATE").Map(l => l.Quantity).IfNone(0));
        Assert.Equal(3, after["fast"].Version);
        Assert.Equal(3, after["fast"].Items.Find("A").Map(l => l.Quantity).IfNone(0));
    }
}
