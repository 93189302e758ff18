using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using FsCheck.Xunit;
using static CartGraph.Tests.Integration.Projections.Interleaving;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// Whatever the interleaving of writers and batches, every cart row ends as the fold of its stream, at its last
/// position, with its bookmark there: each event applied once, in stream order.
/// </summary>
public sealed class StreamOrderProperties(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    // One tenant for every run of the property: each run has carts of its own, and a fresh processor on the shared cursor.
    private static readonly TenantId Tenant = StoreDatabase.NewTenant();

    [Property(MaxTest = 30, Arbitrary = [typeof(Interleavings)])]
    public async Task Every_cart_row_is_the_fold_of_its_stream_whatever_the_interleaving(Interleaving script)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string CartId(int cart) => $"{run}-{cart}";
        for (var c = 0; c < CartCount; c++) await Carts.HandleAsync(db, Tenant, CartId(c), Carts.Create(Tenant, CartId(c)));
        var processor = Carts.Processor(db, Tenant, new ProjectionOptions { BatchSize = script.BatchSize });
        var writers = new Dictionary<int, (OpenTransaction Transaction, HashSet<int> Locked)>();
        bool LockedByAnother(int cart, int? writer) => writers.Any(w => w.Key != writer && w.Value.Locked.Contains(cart));

        try
        {
            for (var index = 0; index < script.Steps.Count; index++)
            {
                switch (script.Steps[index])
                {
                    case Step.Begin(var w, var takeIdFirst) when !writers.ContainsKey(w):
                        writers[w] = (await OpenTransaction.BeginAsync(db, Tenant), []);
                        if (takeIdFirst) await writers[w].Transaction.TakeTransactionIdAsync();
                        break;
                    // A step that would wait for another writer's row lock is left out: the driver runs one step at a time.
                    case Step.AppendInTransaction(var w, var cart, var exact) when !LockedByAnother(cart, w):
                        if (!writers.ContainsKey(w)) writers[w] = (await OpenTransaction.BeginAsync(db, Tenant), []);
                        var (transaction, locked) = writers[w];
                        long? expected = exact ? await transaction.PositionAsync(CartId(cart)) : null;
                        await transaction.AppendAsync(CartId(cart), EventAt(index), expected);
                        locked.Add(cart);
                        break;
                    case Step.AppendAlone(var cart, var expectation) when !LockedByAnother(cart, null):
                        var @event = EventAt(index);
                        var appended = await db.Store.AppendAsync(Tenant, CartId(cart), Cart.StreamType,
                            [new NewMessage(CartEventJson.TypeOf(@event), CartEventJson.Serialize(@event))],
                            expectation switch
                            {
                                Expectation.Exact => ExpectedVersion.Exactly(await db.Store.StreamPositionAsync(Tenant, CartId(cart))),
                                Expectation.Any => ExpectedVersion.Any,
                                _ => ExpectedVersion.StreamExists,
                            });
                        Assert.True(appended.IsRight, $"{appended}");
                        break;
                    case Step.Commit(var w) when writers.Remove(w, out var committing):
                        await committing.Transaction.CommitAsync();
                        await committing.Transaction.DisposeAsync();
                        break;
                    case Step.Rollback(var w) when writers.Remove(w, out var rolledBack):
                        await rolledBack.Transaction.RollbackAsync();
                        await rolledBack.Transaction.DisposeAsync();
                        break;
                    case Step.ProcessBatch:
                        await processor.ProcessBatchAsync();
                        break;
                }
            }
            foreach (var (_, (transaction, _)) in writers) await transaction.CommitAsync();
        }
        finally
        {
            foreach (var (_, (transaction, _)) in writers) await transaction.DisposeAsync();
        }

        await processor.CatchUpAsync();
        var rows = await Carts.ReadModelAsync(db, Tenant);
        for (var c = 0; c < CartCount; c++)
        {
            var (state, version) = await Carts.FoldAsync(db, Tenant, CartId(c));
            Assert.Equal((version, state), (rows[CartId(c)].Version, rows[CartId(c)].State));
            Assert.Equal(version, await db.ScalarAsync<long>(
                "SELECT last_processed_position FROM emt_subscriptions WHERE partition = $1 AND subscription_id = $2",
                Tenant.Value, $"carts-read-model:{CartId(c)}"));
        }
    }
}
