using CartGraph.Tests.Api.EndToEnd;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CartGraph.Tests.Api.Ide;

/// <summary>Banana Cake Pop in a real browser against the real API: it loads the schema, runs what a person writes, and
/// needs nothing but this server.</summary>
public sealed class BananaCakePopSpecs(ApiServer api, ITestOutputHelper output) : IClassFixture<ApiServer>
{
    const string Tenant = "demo";

    Uri Ide => new(api.BaseAddress, "/graphql/ui/");

    async Task<string> CartWithItemAsync(string sku)
    {
        var cartId = Guid.NewGuid().ToString();
        await api.Http.DataOfAsync(Operations.Document("CreateCart"), new { input = new { tenantId = Tenant, cartId, currency = "EUR" } });
        await AddItemAsync(cartId, sku);
        return cartId;
    }

    Task AddItemAsync(string cartId, string sku) => api.Http.DataOfAsync(Operations.Document("AddItemToCart"),
        new { input = new { tenantId = Tenant, cartId, item = new { sku, name = "Browser test item", quantity = 1, unitPrice = 5 } } });

    /// <summary>Runs <paramref name="steps"/> in a fresh browser; the screenshot is kept whatever happens, as the artefact.</summary>
    async Task InBrowserAsync(string screenshot, Func<Chromium, IdePage, Task> steps)
    {
        await using var chromium = await Chromium.OpenAsync(api.BaseAddress);
        try
        {
            await steps(chromium, new IdePage(chromium.Page));
            Assert.True(chromium.RefusedRequests.Count == 0, $"the IDE reached outside the server: {string.Join(", ", chromium.RefusedRequests)}");
        }
        finally
        {
            try { output.WriteLine($"screenshot: {await chromium.ScreenshotAsync(screenshot)}"); }
            catch (PlaywrightException e) { output.WriteLine($"no screenshot: {e.Message}"); }
        }
    }

    [ChromiumFact]
    public async Task Loads_the_schema_and_runs_a_query()
    {
        var cartId = await CartWithItemAsync("IDE-QUERY");

        await InBrowserAsync("ide", async (chromium, ide) =>
        {
            await chromium.Page.GotoAsync(Ide.ToString());
            await ide.CreateDocumentAsync();
            await Expect(ide.Endpoint(api.GraphQL)).ToBeVisibleAsync();

            await ide.RunAsync($$"""{ cart(tenantId: "{{Tenant}}", cartId: "{{cartId}}", atLeastVersion: 2) { cartId currency items { sku quantity } } }""");

            await Expect(ide.Response).ToContainTextAsync(cartId);
            await Expect(ide.Response).ToContainTextAsync("IDE-QUERY");
            await Expect(await ide.SchemaReferenceAsync("carts(...): CartConnection!")).ToBeVisibleAsync();
            await ide.ShowOperationAsync(); // the screenshot shows the query and its result
        });
    }

    [ChromiumFact]
    public async Task A_browser_opening_the_GraphQL_endpoint_gets_the_IDE()
    {
        await InBrowserAsync("ide-from-graphql", async (chromium, ide) =>
        {
            var response = await chromium.Page.GotoAsync(api.GraphQL.ToString());

            var asked = response!.Request.RedirectedFrom ?? throw new InvalidOperationException($"no redirect: {response.Url}");
            Assert.Equal(api.GraphQL.ToString(), asked.Url);
            Assert.StartsWith("text/html", (await asked.AllHeadersAsync())["accept"]);
            Assert.Equal(Ide.ToString(), chromium.Page.Url);
            await ide.StartedAsync();
            Assert.Equal("Banana Cake Pop", await chromium.Page.TitleAsync());
        });
    }

    [ChromiumFact]
    public async Task A_subscription_started_in_the_IDE_receives_a_change_made_over_HTTP()
    {
        var cartId = await CartWithItemAsync("IDE-FIRST");

        await InBrowserAsync("ide-subscription", async (chromium, ide) =>
        {
            await chromium.Page.GotoAsync(Ide.ToString());
            await ide.CreateDocumentAsync();
            await ide.RunAsync($$"""subscription { cartChanged(tenantId: "{{Tenant}}", cartId: "{{cartId}}") { cartId version items { sku } } }""");

            // The IDE shows the subscription running before the server has it: change the cart until a change arrives.
            var deadline = DateTime.UtcNow + Chromium.Patience;
            while (!(await ide.Response.InnerTextAsync()).Contains("IDE-LIVE", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no change reached the IDE within {Chromium.Patience}");
                await AddItemAsync(cartId, "IDE-LIVE");
                await Task.Delay(500);
            }
        });
    }
}
