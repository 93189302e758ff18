using CartGraph.Api.Transport;
using CartGraph.Api.Realtime;
using CartGraph.Api.Security;
using CartGraph.Infrastructure.Diagnostics;
using CartGraph.Infrastructure.Projections;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CartGraph.Api.Observability;

/// <summary>
/// OpenTelemetry traces (ASP.NET Core, GraphQL operations, Npgsql, the store and projections) and metrics
/// (appends, conflicts, lag, notifications, sockets, subscriptions). Exported over OTLP when an endpoint is
/// configured (<c>Telemetry:OtlpEndpoint</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); nothing is collected otherwise,
/// unless <c>Telemetry:Enabled</c> asks for it (another exporter added by the host, say).
/// </summary>
public static class TelemetryServices
{
    public const string ApiMeter = "CartGraph.Api";

    public static void AddCartGraphTelemetry(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["Telemetry:OtlpEndpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var enabled = endpoint is { Length: > 0 } || builder.Configuration.GetValue<bool>("Telemetry:Enabled");
        builder.Services.AddSingleton<ApiMetrics>();
        if (!enabled) return;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("cartgraph", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing => tracing
                .AddSource(CartGraphTelemetry.Name, Transport.Execution.OperationExecutor.Telemetry.Name)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(CartGraphTelemetry.Name, ApiMeter)
                .AddAspNetCoreInstrumentation());
        if (endpoint is { Length: > 0 })
            telemetry.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, new Uri(endpoint));
    }

    /// <summary>Starts the gauges that read live state; once per process.</summary>
    public static void UseCartGraphTelemetry(this WebApplication app) => app.Services.GetRequiredService<ApiMetrics>();
}

/// <summary>Gauges over what this instance holds open: sockets, subscriptions and its processors' lag.</summary>
public sealed class ApiMetrics : IDisposable
{
    private readonly System.Diagnostics.Metrics.Meter meter = new(TelemetryServices.ApiMeter);

    public ApiMetrics(TenantConnectionLimiter sockets, CartFeed feed, ProcessorStatus processors)
    {
        meter.CreateObservableGauge("cartgraph.websocket.connections", () => sockets.Open, "{connection}",
            "Open graphql-transport-ws connections.");
        meter.CreateObservableGauge("cartgraph.subscriptions", () => feed.Subscriptions, "{subscription}",
            "Active cartChanged and cartEvents subscriptions.");
        meter.CreateObservableGauge("cartgraph.projection.lag.events",
            () => processors.Processors.Select(p => new System.Diagnostics.Metrics.Measurement<long>(p.LagEvents, Tags(p))),
            "{event}", "Messages waiting after a processor's cursor, per projection and tenant this instance processes.");
        meter.CreateObservableGauge("cartgraph.projection.lag.time",
            () => processors.Processors.Select(p => new System.Diagnostics.Metrics.Measurement<double>(p.LagTime.TotalSeconds, Tags(p))),
            "s", "How long the oldest waiting message has waited, per projection and tenant this instance processes.");
        meter.CreateObservableGauge("cartgraph.projection.parked",
            () => processors.Processors.Select(p => new System.Diagnostics.Metrics.Measurement<long>(p.Parked, Tags(p))),
            "{stream}", "Streams parked behind a message the projection could not apply, per projection and tenant this instance processes.");
    }

    private static KeyValuePair<string, object?>[] Tags(ProcessorState state) =>
        [new("cartgraph.projection", state.Projection), new("cartgraph.tenant", state.Tenant)];

    public void Dispose() => meter.Dispose();
}
