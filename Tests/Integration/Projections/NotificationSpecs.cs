using System.Collections.Concurrent;
using System.Text;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Projections;

namespace CartGraph.Tests.Integration.Projections;

public sealed class NotificationSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task After_a_batch_commits_instances_hear_which_carts_changed_and_their_versions()
    {
        var tenant = StoreDatabase.NewTenant();
        await using var host = await RunningHost.StartAsync(db);
        var heard = new ConcurrentQueue<ProjectedChanges>();
        using var _ = host.Listener.Subscribe(ProjectedChanges.Channel, payload =>
        {
            if (ProjectedChanges.Parse(payload) is { } changes && changes.Tenant == tenant.Value) heard.Enqueue(changes);
        });
        await Eventually.Until(() => Task.FromResult(host.Listener.IsConnected), connected => connected);

        await Carts.HandleAsync(db, tenant, "a", Carts.Create(tenant, "a"));
        await Carts.HandleAsync(db, tenant, "a", Carts.Add(tenant, "a", "X", 1, 1));
        await Carts.HandleAsync(db, tenant, "b", Carts.Create(tenant, "b"));

        var versions = await Eventually.Until(
            () => Task.FromResult(heard.SelectMany(h => h.Changes).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.Max(c => c.Version))),
            v => v.GetValueOrDefault("a") == 2 && v.GetValueOrDefault("b") == 1);
        Assert.Equal(2, versions["a"]);
        Assert.Equal(1, versions["b"]);
        Assert.All(heard, h => Assert.Equal("carts-read-model", h.Projection));
    }

    [Fact]
    public void Many_changes_are_split_into_payloads_under_postgres_limit()
    {
        var changes = Enumerable.Range(0, 2_000).Select(i => new ProjectedChange($"cart-{i}-{new string('x', 50)}", i)).ToList();
        var payloads = ProjectedChanges.Payloads(Carts.Projection, TenantId.Parse("acme"), changes).ToList();

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8_000, $"{Encoding.UTF8.GetByteCount(p)} bytes"));
        Assert.Equal(changes.Select(c => (c.StreamId, c.Version)),
            payloads.SelectMany(p => ProjectedChanges.Parse(p)!.Changes).Select(c => (c.Id, c.Version)));
    }
}
