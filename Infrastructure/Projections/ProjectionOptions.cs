namespace CartGraph.Infrastructure.Projections;

/// <summary>How processors batch, wait and take over; the defaults suit one database shared by a few instances.</summary>
public sealed record ProjectionOptions
{
    /// <summary>Messages per batch: one transaction each.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>
    /// How often an instance sweeps all its tenants at once for what no notification announced (e.g. written by Emmett's
    /// Node client), and how often a processor whose messages cannot be read yet (an older transaction is still open) looks again.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an instance balances the buckets of tenants it owns with the other live instances.</summary>
    public TimeSpan OwnershipInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a processor that has work measures its lag (one that has none has no lag).</summary>
    public TimeSpan LagInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many batches of an instance run at once, over all its tenants: so many connections at most.</summary>
    public int MaxBatchesInFlight { get; init; } = 4;
}
