using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CartGraph.Api.Health;

/// <summary>
/// <c>/health/live</c>: the process is up. <c>/health/ready</c>: database, schema, listener and processors; 503 when the
/// instance cannot serve, 200 otherwise, "degraded" when a tenant lags or a stream is parked (it can serve; someone should look).
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Made once: options cache what they learn of each type.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private const string Ready = "ready";

    public static void AddCartGraphHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(HealthOptions.From(builder.Configuration));
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<SchemaCheck>("schema", tags: [Ready])
            .AddCheck<ListenerCheck>("listener", tags: [Ready])
            .AddCheck<ProcessorsCheck>("processors", tags: [Ready])
            .AddCheck<ParkedCheck>("parked", tags: [Ready]);
    }

    public static void MapCartGraphHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
                data = e.Value.Data.Count > 0 ? e.Value.Data : null,
            }),
        }, Json);
    }
}
