using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using Xunit.Abstractions;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>An API whose processors measure their lag often and call a tenant lagging after a fifth of a second.</summary>
public sealed class LagSensitiveApi(IMessageSink diagnostics) : ApiServer(diagnostics)
{
    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["Health:MaxProjectionLag"] = "00:00:00.2";
        builder.Configuration["Projections:LagInterval"] = "00:00:00.1";
    }
}

/// <summary>A tenant that lags keeps the instance ready: it can still serve; the readiness JSON says who lags.</summary>
public sealed class LaggingTenantSpecs(LagSensitiveApi api) : IClassFixture<LagSensitiveApi>
{
    [Fact]
    public async Task A_tenant_further_behind_than_the_bound_is_reported_and_the_instance_stays_ready()
    {
        var shop = new Shop(api.Http, "lagging");
        await shop.Create("cart");
        await shop.Cart("cart", atLeastVersion: 1);

        // A transaction that took its id holds every consumer of the cluster back (below the snapshot's xmin), briefly.
        (HttpStatusCode Status, JsonNode Body) lagging;
        await using (var holder = new NpgsqlConnection(api.ConnectionString))
        {
            await holder.OpenAsync();
            await using var open = await holder.BeginTransactionAsync();
            await using (var take = new NpgsqlCommand("SELECT pg_current_xact_id()", holder, open)) await take.ExecuteScalarAsync();
            await shop.Add("cart", "SKU-1");
            lagging = await Integration.Eventually.Until(api.ReadinessAsync,
                r => r.Body["checks"]?["processors"]?["status"]?.GetValue<string>() == "degraded", TimeSpan.FromSeconds(3));
            await open.CommitAsync();
        }

        Assert.Equal(HttpStatusCode.OK, lagging.Status);
        var processors = lagging.Body["checks"]!["processors"]!;
        Assert.Equal("degraded", (string?)processors["status"]);
        Assert.Contains("carts-read-model/lagging", (string?)processors["description"]);
        Assert.True((double)processors["data"]!["carts-read-model/lagging"]!["lagSeconds"]! > 0.2);

        var caughtUp = await Integration.Eventually.Until(api.ReadinessAsync,
            r => r.Body["checks"]?["processors"]?["status"]?.GetValue<string>() == "healthy");
        Assert.Equal((HttpStatusCode.OK, "healthy"), (caughtUp.Status, (string?)caughtUp.Body["checks"]!["processors"]!["status"]));
    }
}
