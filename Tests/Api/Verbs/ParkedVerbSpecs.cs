using CartGraph.Tests.Api.EndToEnd;

namespace CartGraph.Tests.Api.Verbs;

/// <summary><c>parked list | retry | skip</c> as an operator runs them beside the API, which parked a malformed event.</summary>
public sealed class ParkedVerbSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_operator_lists_a_parked_cart_retries_it_in_vain_then_skips_its_bad_event()
    {
        var shop = new Shop(api.Http, "parked-verbs");
        await shop.Create("bad");
        await shop.Create("good");
        await ForeignWriter.AppendMalformedItemAsync(api.ConnectionString, shop.TenantId, "bad");
        await shop.Add("good", "SKU-1");
        await Integration.Eventually.Until(() => ApiVerb.RunAsync(api.ConnectionString, Patience, "parked", "list"),
            run => run.Output.Contains("parked-verbs"), TimeSpan.FromSeconds(20));

        var list = await ApiVerb.RunAsync(api.ConnectionString, Patience, "parked", "list", "--tenant", shop.TenantId);
        Assert.Equal(0, list.ExitCode);
        var line = Assert.Single(list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in new[] { "carts-read-model", "parked-verbs", "bad", "position 2", "ItemAddedToCart", "since ", "not its shape" })
            Assert.Contains(part, line);

        var retry = await ApiVerb.RunAsync(api.ConnectionString, Patience, "parked", "retry", "--tenant", shop.TenantId);
        Assert.True(retry.ExitCode == 1, retry.ToString());
        Assert.Contains("Still parked", retry.Output);
        Assert.Contains("2 attempts", retry.Output);

        var wrong = await ApiVerb.RunAsync(api.ConnectionString, Patience, "parked", "skip", "--tenant", shop.TenantId, "--stream", "bad", "--position", "1");
        Assert.True(wrong.ExitCode == 2, wrong.ToString());
        Assert.Contains("waits at position 2, not 1", wrong.Errors);

        var skip = await ApiVerb.RunAsync(api.ConnectionString, Patience, "parked", "skip", "--tenant", shop.TenantId, "--stream", "bad", "--position", "2");
        Assert.True(skip.ExitCode == 0, skip.ToString());
        Assert.Contains("Passed over position 2 of bad", skip.Output);
        Assert.Contains("No parked stream", (await ApiVerb.RunAsync(api.ConnectionString, Patience, "parked", "list")).Output);
        Assert.Equal(2L, (long)(await shop.Cart("good", atLeastVersion: 2))!["version"]!);
    }

    [Theory]
    [InlineData("parked", "skip", "--tenant", "acme", "--stream", "cart-1")]
    [InlineData("parked", "skip", "--tenant", "acme", "--stream", "cart-1", "--position", "first")]
    [InlineData("parked", "retry")]
    [InlineData("parked", "list", "--tenant", "Not A Tenant")]
    [InlineData("parked", "drop")]
    public async Task Incomplete_or_invalid_arguments_exit_2_with_a_reason_and_touch_nothing(params string[] arguments)
    {
        var run = await ApiVerb.RunAsync(api.ConnectionString, Patience, arguments);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("cartgraph parked: ", run.Errors);
        Assert.DoesNotContain("   at ", run.Errors);
    }
}
