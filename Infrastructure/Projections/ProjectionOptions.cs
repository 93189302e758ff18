namespace CartGraph.Infrastructure.Projections;

/// <summary>How processors batch, wait and take over; the defaults suit one database shared by a few instances.</summary>
public sealed record ProjectionOptions
{
    /// <summary>Messages per batch: one transaction each.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>How often an idle processor looks for messages nobody announced (e.g. written by Emmett's Node client).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an instance tries to take over work that no live instance owns.</summary>
    public TimeSpan OwnershipInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a processor measures its lag.</summary>
    public TimeSpan LagInterval { get; init; } = TimeSpan.FromSeconds(5);
}
