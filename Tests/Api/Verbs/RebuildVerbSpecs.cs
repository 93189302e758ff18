using CartGraph.Tests.Api.EndToEnd;

namespace CartGraph.Tests.Api.Verbs;

/// <summary><c>rebuild</c> while the API runs and owns the tenant's projection.</summary>
public sealed class RebuildVerbSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Rebuilding_a_quiet_tenant_while_the_API_runs_finishes_and_leaves_every_cart()
    {
        var shop = new Shop(api.Http, "rebuild-quiet");
        for (var c = 0; c < 10; c++)
        {
            await shop.Create($"cart-{c}");
            await shop.Add($"cart-{c}", "SKU-1", quantity: c + 1);
        }
        var before = await Integration.Eventually.Until(() => shop.Carts(first: 100), page => Shop.IdsOf(page).Count == 10
            && page["edges"]!.AsArray().All(e => (long)e!["node"]!["version"]! == 2));

        // Nothing is written meanwhile: the instance that owns the tenant learns of the reset from the reset alone.
        var run = await ApiVerb.RunAsync(api.ConnectionString, TimeSpan.FromSeconds(60), "rebuild", "--tenant", shop.TenantId);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("20/20", run.Errors);
        Assert.Contains("Done.", run.Output);
        var after = await shop.Carts(first: 100);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }
}
