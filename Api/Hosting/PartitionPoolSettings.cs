using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Hosting;

/// <summary>Configuration section <c>Tenants:PartitionPool</c>: how many staged sets of tenant tables to keep (<see cref="PartitionPoolOptions"/>).</summary>
public static class PartitionPoolSettings
{
    public const string Section = "Tenants:PartitionPool";

    /// <summary>As configured; checked by <see cref="ConfigurationCheck"/> before anything starts.</summary>
    public static PartitionPoolOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<PartitionPoolOptions>() ?? new PartitionPoolOptions();
}
