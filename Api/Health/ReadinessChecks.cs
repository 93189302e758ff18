using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.Schema;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CartGraph.Api.Health;

/// <summary>The database answers, within a bound.</summary>
public sealed class DatabaseCheck(PostgresDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await database.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
        }
    }
}

/// <summary>The schema is at the version this build expects.</summary>
public sealed class SchemaCheck(SchemaMigrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var current = await migrator.CurrentVersionAsync(cancellationToken);
            return current == Migration.Latest
                ? HealthCheckResult.Healthy($"Schema at version {current}.")
                : HealthCheckResult.Unhealthy($"Schema at version {current?.ToString() ?? "none"}, expected {Migration.Latest}.");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Schema version unknown: PostgreSQL does not answer.");
        }
    }
}

/// <summary>The listening connection (subscriptions, wake-ups) is up.</summary>
public sealed class ListenerCheck(PostgresListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(listener.IsConnected
            ? HealthCheckResult.Healthy("Listening for notifications.")
            : HealthCheckResult.Unhealthy("Not listening for notifications: reconnecting."));
}

/// <summary>
/// The processors run. A processor further behind than the bound makes the check degraded, not unhealthy: the instance
/// still serves (its reads are older, its writes as good), and taking it out of a load balancer would not help the
/// tenant catch up. The description names the most lagging, the data gives every processor of this instance.
/// </summary>
public sealed class ProcessorsCheck(ProcessorHost host, ProcessorStatus status, HealthOptions options) : IHealthCheck
{
    private const int Named = 5;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!host.IsRunning) return Task.FromResult(HealthCheckResult.Unhealthy("Processors are not running: reconnecting."));
        var processors = status.Processors; // one snapshot: the count and the data agree
        var lagging = processors.Where(p => p.LagTime > options.MaxProjectionLag).OrderByDescending(p => p.LagTime).ToList();
        var data = processors.ToDictionary(
            p => $"{p.Projection}/{p.Tenant}",
            p => (object)new { lagEvents = p.LagEvents, lagSeconds = Math.Round(p.LagTime.TotalSeconds, 3), parked = p.Parked });
        return Task.FromResult(lagging.Count == 0
            ? HealthCheckResult.Healthy($"{processors.Count} processor(s) within {options.MaxProjectionLag.TotalSeconds:0.###} s.", data)
            : HealthCheckResult.Degraded(
                $"{lagging.Count} of {processors.Count} processor(s) more than {options.MaxProjectionLag.TotalSeconds:0.###} s behind, most behind first: "
                + string.Join(", ", lagging.Take(Named).Select(p => $"{p.Projection}/{p.Tenant} {p.LagTime.TotalSeconds:0.0} s ({p.LagEvents} messages)"))
                + (lagging.Count > Named ? ", ..." : "."), data: data));
    }
}

/// <summary>
/// Streams parked behind a message their projection could not apply, in every tenant: degraded while there are some (the
/// instance still serves; an operator has work: <c>parked list</c>), with the longest waiting in the data.
/// </summary>
public sealed class ParkedCheck(PostgresDatabase database) : IHealthCheck
{
    private const int Listed = 20;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            var (count, oldest) = await ParkedMessages.SummaryAsync(database.Commands, Listed, timeout.Token);
            if (count == 0) return HealthCheckResult.Healthy("No parked stream.");
            var streams = oldest.Select(p => new
            {
                projection = p.Projection, tenant = p.Tenant, stream = p.StreamId, position = p.StreamPosition,
                type = p.MessageType, since = p.FirstAttempt, attempts = p.Attempts,
            }).ToList();
            return HealthCheckResult.Degraded(
                $"{count} parked stream(s): each waits behind a message its projection could not apply (`parked list`, `parked retry`, `parked skip`).",
                data: new Dictionary<string, object> { ["count"] = count, ["streams"] = streams });
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Parked streams unknown: PostgreSQL does not answer.");
        }
    }
}

/// <summary>Configuration section <c>Health</c>.</summary>
public sealed record HealthOptions
{
    public const string Section = "Health";

    /// <summary>How far behind a processor may be before readiness reports it as lagging (degraded; still 200).</summary>
    public TimeSpan MaxProjectionLag { get; init; } = TimeSpan.FromSeconds(30);

    public static HealthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<HealthOptions>() ?? new HealthOptions();
}
