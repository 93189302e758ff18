using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>A processor killed between applying a batch and committing it loses nothing and doubles nothing.</summary>
public sealed class CrashSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    /// <summary>Writes for real, then kills its own database session: after the batch is applied, before it commits.</summary>
    private sealed class KilledAfterApplying(IProjection inner) : IProjection
    {
        public int Kills { get; private set; }
        public bool Armed { get; set; } = true;
        public string Name => inner.Name;
        public int Version => inner.Version;

        public async Task<ProjectionWrites> ApplyAsync(
            NpgsqlConnection connection, TenantId tenant, IReadOnlyList<RecordedMessage> messages, CancellationToken ct)
        {
            var writes = await inner.ApplyAsync(connection, tenant, messages, ct);
            if (!Armed) return writes;
            Kills++;
            return writes with { Commands = [.. writes.Commands, new NpgsqlBatchCommand("SELECT pg_terminate_backend(pg_backend_pid())")] };
        }

        public Task ForgetAsync(NpgsqlConnection c, TenantId t, string s, CancellationToken ct) => inner.ForgetAsync(c, t, s, ct);
        public Task ResetAsync(NpgsqlConnection c, TenantId t, CancellationToken ct) => inner.ResetAsync(c, t, ct);
        public Task ForgetTenantAsync(NpgsqlConnection c, TenantId t, CancellationToken ct) => inner.ForgetTenantAsync(c, t, ct);
    }

    [Fact]
    public async Task On_restart_nothing_is_lost_and_nothing_is_doubled()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < 5; c++)
        {
            await Carts.HandleAsync(db, tenant, $"cart-{c}", Carts.Create(tenant, $"cart-{c}"));
            await Carts.HandleAsync(db, tenant, $"cart-{c}", Carts.Add(tenant, $"cart-{c}", "A", 2, 1));
        }
        await Carts.Processor(db, tenant, new ProjectionOptions { BatchSize = 4 }).CatchUpAsync();
        for (var c = 0; c < 5; c++) await Carts.HandleAsync(db, tenant, $"cart-{c}", Carts.Add(tenant, $"cart-{c}", "A", 3, 1));

        var crashing = new KilledAfterApplying(Carts.Projection);
        var doomed = Carts.Processor(db, tenant, new ProjectionOptions { BatchSize = 4 }, crashing);
        await Assert.ThrowsAnyAsync<Exception>(() => Eventually.Until(() => doomed.ProcessBatchAsync(), n => n > 0));
        Assert.Equal(1, crashing.Kills);

        await Carts.Processor(db, tenant).CatchUpAsync();

        var rows = await Carts.ReadModelAsync(db, tenant);
        Assert.Equal(5, rows.Count);
        Assert.All(rows.Values, cart =>
        {
            Assert.Equal(3, cart.Version);
            Assert.Equal(5, cart.Items.Find("A").Map(l => l.Quantity).IfNone(0));
        });
    }
}
