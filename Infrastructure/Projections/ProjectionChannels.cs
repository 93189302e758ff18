using CartGraph.Infrastructure.Notifications;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// The notification channels an instance listens to for its projections: appends and reset cursors wake processors,
/// projected changes reach the instance's readers (caches, subscriptions).
/// </summary>
public static class ProjectionChannels
{
    public static readonly IReadOnlyList<string> All = [AppendNotifier.Channel, SubscriptionCheckpoints.ResetChannel, ProjectedChanges.Channel];
}
