using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

public sealed class TenantSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task Two_tenants_with_the_same_stream_id_never_see_each_others_messages()
    {
        var (a, b) = (StoreDatabase.NewTenant(), StoreDatabase.NewTenant());
        await db.Store.AppendAsync(a, "same", "thing", [new NewMessage("A", """{"owner": "a"}""")], ExpectedVersion.NoStream);
        await db.Store.AppendAsync(b, "same", "thing", [new NewMessage("B", """{"owner": "b"}"""), Event(2)], ExpectedVersion.NoStream);

        Assert.Equal(["A"], (await db.Store.ReadStreamAsync(a, "same")).Select(m => m.MessageType));
        Assert.Equal(["B", "Something"], (await db.Store.ReadStreamAsync(b, "same")).Select(m => m.MessageType));
        var consumedA = await Eventually.Until(() => db.Store.ReadMessagesAsync(a, ConsumerCursor.Start, 100), m => m.Count > 0);
        var consumedB = await Eventually.Until(() => db.Store.ReadMessagesAsync(b, ConsumerCursor.Start, 100), m => m.Count > 1);
        Assert.Equal(["A"], consumedA.Select(m => m.MessageType));
        Assert.Equal(["B", "Something"], consumedB.Select(m => m.MessageType));
    }

    [Fact]
    public async Task A_tenants_first_append_provisions_its_partitions_in_every_table()
    {
        var tenant = StoreDatabase.NewTenant();
        Assert.False(await db.Tenants.ExistsAsync(tenant));
        await db.Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.Any);
        Assert.True(await db.Tenants.ExistsAsync(tenant));
        var leaves = (await db.RowsAsync(
                "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relname LIKE '%' || $1 || '%' ORDER BY relname", tenant.Value))
            .Select(r => (string)r[0]!).ToArray();
        Assert.Equal(
        [
            $"emt_messages_{tenant}", $"emt_messages_{tenant}_active", $"emt_messages_{tenant}_archived",
            $"emt_streams_{tenant}", $"emt_streams_{tenant}_active", $"emt_streams_{tenant}_archived",
            $"emt_subscriptions_{tenant}",
        ], leaves);
        Assert.Contains(tenant, await db.Tenants.ListAsync());
    }

    [Fact]
    public async Task Provisioning_is_idempotent_and_safe_when_raced()
    {
        var tenant = StoreDatabase.NewTenant();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.Tenants.ProvisionAsync(tenant))));
        await db.Tenants.ProvisionAsync(tenant);
        Assert.Equal(1L, await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM pg_inherits i JOIN pg_inherits b ON b.inhrelid = i.inhparent
             WHERE b.inhparent = 'emt_messages'::regclass AND i.inhrelid::regclass::text = $1
            """,
            $"emt_messages_{tenant}"));
    }

    [Fact]
    public async Task First_appends_of_many_new_tenants_at_once_all_land()
    {
        var tenants = Enumerable.Range(0, 8).Select(_ => StoreDatabase.NewTenant()).ToArray();
        var results = await Task.WhenAll(tenants.Select(t => Task.Run(() =>
            db.Store.AppendAsync(t, "s", "thing", Events(1), ExpectedVersion.NoStream))));
        Assert.All(results, r => Assert.True(r.IsRight));
    }

    [Fact]
    public async Task Tenants_whose_names_sanitize_alike_or_run_long_still_get_partitions_of_their_own()
    {
        var prefix = $"x{Guid.NewGuid():N}"[..10];
        TenantId[] tenants =
        [
            TenantId.Parse($"{prefix}-a"),
            TenantId.Parse($"{prefix}_a"),
            TenantId.Parse((prefix + new string('l', 60))[..63]),
            TenantId.Parse((prefix + new string('l', 60))[..62] + "m"),
        ];
        foreach (var tenant in tenants)
            Assert.True((await db.Store.AppendAsync(tenant, "s", "thing", [new NewMessage("Mine", $$"""{"t": "{{tenant}}"}""")], ExpectedVersion.NoStream)).IsRight);
        foreach (var tenant in tenants)
            Assert.Equal($$"""{"t": "{{tenant}}"}""", (await db.Store.ReadStreamAsync(tenant, "s")).Single().Data);
        Assert.All(tenants, t => Assert.Contains(t, db.Tenants.ListAsync().Result));
    }
}
