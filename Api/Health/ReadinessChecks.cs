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
            await using var command = database.Commands.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
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

/// <summary>The processors run, and none of this instance's is further behind than the bound.</summary>
public sealed class ProcessorsCheck(ProcessorHost host, ProcessorStatus status, HealthOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!host.IsRunning) return Task.FromResult(HealthCheckResult.Unhealthy("Processors are not running: reconnecting."));
        var processors = status.Processors; // one snapshot: the count and the data agree
        var lagging = processors.Where(p => p.LagTime > options.MaxProjectionLag).ToList();
        var data = processors.ToDictionary(
            p => $"{p.Projection}/{p.Tenant}", p => (object)new { lagEvents = p.LagEvents, lagSeconds = Math.Round(p.LagTime.TotalSeconds, 3) });
        return Task.FromResult(lagging.Count == 0
            ? HealthCheckResult.Healthy($"{processors.Count} processor(s) within {options.MaxProjectionLag.TotalSeconds:0} s.", data)
            : HealthCheckResult.Unhealthy(
                $"{lagging.Count} processor(s) more than {options.MaxProjectionLag.TotalSeconds:0} s behind: "
                + string.Join(", ", lagging.Select(p => $"{p.Projection}/{p.Tenant} {p.LagTime.TotalSeconds:0.0} s")), data: data));
    }
}

/// <summary>Configuration section <c>Health</c>.</summary>
public sealed record HealthOptions
{
    public const string Section = "Health";

    /// <summary>How far behind a processor may be before the instance reports itself not ready.</summary>
    public TimeSpan MaxProjectionLag { get; init; } = TimeSpan.FromSeconds(30);

    public static HealthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<HealthOptions>() ?? new HealthOptions();
}
