using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CartGraph.Infrastructure.Diagnostics;

/// <summary>
/// The service's own traces and metrics, with the platform's types only (System.Diagnostics): whoever hosts the
/// service decides whether and where they are exported.
/// </summary>
public static class CartGraphTelemetry
{
    public const string Name = "CartGraph";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Appends = Meter.CreateCounter<long>(
        "cartgraph.store.appends", "{append}", "Appends committed to the event store.");

    public static readonly Counter<long> AppendedEvents = Meter.CreateCounter<long>(
        "cartgraph.store.appended_events", "{event}", "Events committed to the event store.");

    public static readonly Counter<long> AppendConflicts = Meter.CreateCounter<long>(
        "cartgraph.store.append_conflicts", "{append}", "Appends refused because the stream was not at the expected version.");

    public static readonly Histogram<double> AppendDuration = Meter.CreateHistogram<double>(
        "cartgraph.store.append.duration", "s", "How long an append took, round trip included.");

    public static readonly Counter<long> NotificationsSent = Meter.CreateCounter<long>(
        "cartgraph.notifications.sent", "{notification}", "LISTEN/NOTIFY notifications sent: append wake-ups and projected changes.");

    public static readonly Counter<long> NotificationsReceived = Meter.CreateCounter<long>(
        "cartgraph.notifications.received", "{notification}", "LISTEN/NOTIFY notifications received by this process.");

    public static readonly Counter<long> ProjectedEvents = Meter.CreateCounter<long>(
        "cartgraph.projection.events", "{event}", "Messages consumed by projections.");

    public static readonly Histogram<double> ProjectionBatchDuration = Meter.CreateHistogram<double>(
        "cartgraph.projection.batch.duration", "s", "How long a projection batch took, commit included.");

    public static readonly Counter<long> RebuiltEvents = Meter.CreateCounter<long>(
        "cartgraph.projection.rebuild.events", "{event}", "Messages replayed into a projection version being built.");

    public static readonly Counter<long> VersionSwitches = Meter.CreateCounter<long>(
        "cartgraph.projection.switches", "{switch}", "Projection versions that became the one served, the old one dropped.");
}
