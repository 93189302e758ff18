using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Projections;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// A lag measurement cancelled half-way (a host stopping, say) hands its pooled connection back, and the next
/// measurement on that connection must work: the CI once failed on <c>Received unexpected backend message DataRow</c>.
/// </summary>
public sealed class CancelledLagSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private const string Application = "cancelled-lag-spec";

    [Fact]
    public async Task A_measurement_cancelled_while_its_statements_are_being_prepared_leaves_the_pooled_connection_usable()
    {
        var tenant = StoreDatabase.NewTenant();
        await Carts.HandleAsync(db, tenant, "cart-1", Carts.Create(tenant, "cart-1"));
        // One connection in the pool, so that every measurement below runs on the same session.
        await using var postgres = PostgresDatabase.Create($"{db.ConnectionString};Maximum Pool Size=1", Application);
        var processor = new ProjectionProcessor(postgres, Carts.Projection, tenant, new ProjectionOptions(), new ProcessorStatus(), NullLogger.Instance);
        Assert.Equal(1, (await processor.MeasureLagAsync()).Events); // each statement's first use: the next one prepares it

        // The count of parked streams plans with this index: held, its Bind (after its Parse succeeded) waits for it.
        await using (var holder = await db.Postgres.Dedicated.OpenConnectionAsync())
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            await using (var reindex = new NpgsqlCommand("REINDEX INDEX idx_parked_messages_waiting", holder, transaction))
                await reindex.ExecuteNonQueryAsync();
            using var cancel = new CancellationTokenSource();
            var measuring = processor.MeasureLagAsync(cancel.Token);
            var waiting = await Eventually.Until(
                () => db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", Application),
                n => n == 1);
            Assert.Equal(1, waiting);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => measuring);
            await transaction.RollbackAsync();
        }

        Assert.Equal(1, (await processor.MeasureLagAsync()).Events);
        await processor.CatchUpAsync();
        Assert.Equal(0, (await processor.MeasureLagAsync()).Events);
    }
}
