using System.Transactions;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Tests.Integration.Projections;
using Npgsql;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>
/// What one statement costs does not depend on how many tenants the database holds: an append, a stream read, a
/// consumer read and a projection's batch lock their tenant's tables only. Counted in <c>pg_locks</c> inside the
/// statement's own transaction, once its statements are prepared (planned once per connection, the steady state).
/// </summary>
/// <remarks>
/// A statement on a partitioned parent locks every partition its generic plan holds when it starts: two or more per
/// tenant. The bound below, 16, is PostgreSQL's fast-path lock slots per backend, and holds whatever the tenant count.
/// </remarks>
public sealed class StatementLockSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private const int Tenants = 30;
    private const int Bound = 16;

    [Fact]
    public async Task Appends_and_reads_lock_only_their_tenants_tables()
    {
        var (tenant, others) = await TenantsAsync();
        for (var i = 0; i < 3; i++) await UseAsync(tenant, $"warm-{i}"); // three uses: auto-prepared, generic plans

        var locked = new Dictionary<string, IReadOnlyList<string>>
        {
            ["append"] = await LockedDuringAsync(() => db.Store.AppendAsync(tenant, "probe", "cart", Events(1), ExpectedVersion.Any)),
            ["stream read"] = await LockedDuringAsync(() => db.Store.ReadStreamAsync(tenant, "warm-0")),
            ["stream position"] = await LockedDuringAsync(() => db.Store.StreamPositionAsync(tenant, "warm-0")),
            ["consumer read"] = await LockedDuringAsync(() => db.Store.ReadMessagesAsync(tenant, ConsumerCursor.Start, 100)),
        };

        foreach (var (statement, relations) in locked)
        {
            Assert.True(relations.Count <= Bound, $"{statement} locked {relations.Count} relations: {string.Join(", ", relations)}");
            Assert.DoesNotContain(relations, r => others.Any(o => r.Contains(o.Value, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task A_projection_batch_locks_only_its_tenants_tables_until_it_writes_the_read_model()
    {
        var (tenant, others) = await TenantsAsync();
        // The read-model write fires this trigger in the batch's transaction: every lock the batch took so far is held.
        // A relation held in two modes (carts, read then written) takes one fast-path slot, and counts once.
        await db.RowsAsync("""
            CREATE TABLE lock_probe (relations TEXT[]);
            CREATE FUNCTION lock_probe() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                INSERT INTO lock_probe SELECT array_agg(DISTINCT c.relname::text ORDER BY c.relname::text)
                  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                 WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'
                   AND c.relnamespace = 'public'::regnamespace AND c.relname <> 'lock_probe';
                RETURN NULL;
            END $$;
            CREATE TRIGGER lock_probe AFTER INSERT OR UPDATE ON carts FOR EACH STATEMENT EXECUTE FUNCTION lock_probe();
            """);
        var processor = Carts.Processor(db, tenant);
        for (var i = 0; i < 4; i++) // each round prepares the batch's statements one use further
        {
            await Carts.HandleAsync(db, tenant, $"cart-{i}", Carts.Create(tenant, $"cart-{i}"));
            await processor.CatchUpAsync();
        }

        var probes = await db.RowsAsync("SELECT relations FROM lock_probe");
        Assert.NotEmpty(probes);
        var last = (string[])probes[^1][0]!;
        Assert.True(last.Length <= Bound, $"a batch locked {last.Length} relations: {string.Join(", ", last)}");
        Assert.DoesNotContain(last, r => others.Any(o => r.Contains(o.Value, StringComparison.Ordinal)));
    }

    private async Task<(TenantId Tenant, IReadOnlyList<TenantId> Others)> TenantsAsync()
    {
        var others = Enumerable.Range(0, Tenants).Select(_ => StoreDatabase.NewTenant()).ToList();
        foreach (var other in others) await db.Tenants.ProvisionAsync(other);
        var tenant = StoreDatabase.NewTenant();
        await db.Tenants.ProvisionAsync(tenant);
        return (tenant, others);
    }

    private async Task UseAsync(TenantId tenant, string stream)
    {
        await db.Store.AppendAsync(tenant, stream, "cart", Events(1), ExpectedVersion.Any);
        await db.Store.ReadStreamAsync(tenant, stream);
        await db.Store.StreamPositionAsync(tenant, stream);
        await db.Store.ReadMessagesAsync(tenant, ConsumerCursor.Start, 100);
    }

    /// <summary>
    /// The relations of the event store that the action's statements hold locked at its end. The action runs in an
    /// ambient transaction, so its pooled connection stays enlisted, and the look at <c>pg_locks</c> comes back to it.
    /// </summary>
    private async Task<IReadOnlyList<string>> LockedDuringAsync<T>(Func<Task<T>> action)
    {
        using var scope = new TransactionScope(TransactionScopeAsyncFlowOption.Enabled);
        int pid;
        await using (var connection = await db.Postgres.Commands.OpenConnectionAsync())
            pid = connection.ProcessID;
        await action();
        await using var look = await db.Postgres.Commands.OpenConnectionAsync();
        Assert.Equal(pid, look.ProcessID); // the same session, inside the same transaction
        await using var command = new NpgsqlCommand("""
            SELECT c.relname::text FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relnamespace = 'public'::regnamespace
             ORDER BY 1
            """, look);
        await using var reader = await command.ExecuteReaderAsync();
        var relations = new List<string>();
        while (await reader.ReadAsync()) relations.Add(reader.GetString(0));
        return relations;
    }
}
