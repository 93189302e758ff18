namespace CartGraph.Api.Realtime;

/// <summary>The <c>Realtime</c> section: how subscriptions are fed.</summary>
public sealed record RealtimeSettings
{
    public const string Section = "Realtime";

    /// <summary>Events a subscriber may have waiting; one more and it is failed as too slow (SUBSCRIBER_TOO_SLOW).</summary>
    public int SubscriberBuffer { get; init; } = 256;

    public static RealtimeSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<RealtimeSettings>() ?? new RealtimeSettings();
}
