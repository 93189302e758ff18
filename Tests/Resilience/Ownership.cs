using CartGraph.Infrastructure.ReadModels;

namespace CartGraph.Tests.Resilience;

/// <summary>Which instance runs which processors, as each instance's <c>/health/ready</c> lists them.</summary>
public sealed record Ownership(IReadOnlyDictionary<ApiProcess, IReadOnlyCollection<string>> Owned)
{
    /// <summary>How the readiness check names the carts read model's processor of a tenant.</summary>
    public static string Processor(string tenant) => $"{CartsProjection.ProjectionName}/{tenant}";

    public static string TenantOf(string processor) => processor[(processor.IndexOf('/') + 1)..];

    /// <summary>Each tenant's processor runs on exactly one of the instances.</summary>
    public bool EachRunsOnce(IEnumerable<string> tenants) =>
        tenants.All(t => Owned.Values.Count(owned => owned.Contains(Processor(t))) == 1);

    /// <summary>Every instance runs some processors.</summary>
    public bool Spread => Owned.Values.All(owned => owned.Count > 0);

    public override string ToString() => string.Join("; ", Owned.Select(o => $"{o.Key.Name}: {string.Join(", ", o.Value.Order())}"));

    public static async Task<Ownership> OfAsync(IEnumerable<ApiProcess> instances)
    {
        var owned = new Dictionary<ApiProcess, IReadOnlyCollection<string>>();
        foreach (var instance in instances) owned[instance] = (await instance.ReadinessAsync()).Processors;
        return new Ownership(owned);
    }

    /// <summary>Polls the instances until <paramref name="done"/>; fails saying who runs what when time runs out.</summary>
    public static async Task<Ownership> UntilAsync(IReadOnlyCollection<ApiProcess> instances, Func<Ownership, bool> done, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var ownership = await OfAsync(instances);
            if (done(ownership)) return ownership;
            Assert.True(DateTime.UtcNow < deadline, $"After {patience.TotalSeconds:0} s the processors run so: {ownership}");
            await Task.Delay(50);
        }
    }
}
