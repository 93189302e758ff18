using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Hosting;

/// <summary>Configuration section <c>Tenants:PartitionPool</c>: how many staged sets of tenant tables to keep (<see cref="PartitionPoolOptions"/>).</summary>
public static class PartitionPoolSettings
{
    public const string Section = "Tenants:PartitionPool";

    public static PartitionPoolOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<PartitionPoolOptions>() ?? new PartitionPoolOptions();
        return options.Size < 0 || options.CheckInterval <= TimeSpan.Zero
            ? throw new InvalidOperationException($"{Section}: Size must be 0 or more and CheckInterval positive (got {options.Size}, {options.CheckInterval}).")
            : options;
    }
}
