using CartGraph.Domain.Values;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Benchmarks;

/// <summary>What every suite gets: the database under test and the options of the run.</summary>
public sealed record BenchContext(
    string ConnectionString,
    PostgresDatabase Database,
    TenantPartitions Tenants,
    EventStore Store,
    CommandHandler Handler,
    int Events,
    int Minutes,
    string? PostgresBinDirectory,
    int TenantCount = 1000,
    int Subscribers = 1000)
{
    /// <summary>A tenant of its own for each measurement, so that none reads another's rows.</summary>
    public async Task<TenantId> NewTenantAsync(string purpose)
    {
        var tenant = TenantId.Parse($"bench-{purpose}-{Guid.NewGuid():N}"[..40]);
        await Tenants.ProvisionAsync(tenant);
        return tenant;
    }
}
