namespace CartGraph.Tests.Resilience;

/// <summary>
/// The resilience specs run one after another and after every other collection: they start processes, kill them and
/// stop PostgreSQL, their time bounds ("takes over within seconds") should measure the service rather than a busy
/// machine, and the telemetry spec's exporter should see no other in-process server's gauges.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResilienceCollection
{
    public const string Name = "Resilience";
}
