using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CartGraph.Tests.Api.Board;

/// <summary>What a person does on the cart board, and where it shows: the one place that knows the board's markup.</summary>
public sealed class BoardPage(IPage page)
{
    /// <summary>The board's one status line (role="status").</summary>
    public ILocator Status => page.GetByRole(AriaRole.Status);

    /// <summary>The carts table's caption, e.g. "3 carts of tenant demo".</summary>
    public ILocator Caption => page.Locator("#carts caption");

    /// <summary>The row whose header cell is exactly the cart id.</summary>
    public ILocator Row(string cartId) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = cartId, Exact = true }) });

    public ILocator StatusOf(string cartId) => Row(cartId).Locator("[data-field=status]");

    public ILocator ItemsOf(string cartId) => Row(cartId).Locator("[data-field=items]");

    public ILocator TotalOf(string cartId) => Row(cartId).Locator("[data-field=total]");

    /// <summary>Step <paramref name="number"/> (1 to 5) of the seed form's list.</summary>
    public ILocator SeedStep(int number) => page.Locator("#seed-steps > li").Nth(number - 1);

    public ILocator RecentEvents => page.GetByRole(AriaRole.Region, new() { Name = "Recent events" });

    /// <summary>Waits until the board says it is live: subscribed, and every page of carts loaded.</summary>
    public Task LiveAsync() => Expect(Status).ToContainTextAsync("Live");

    /// <summary>Shows <paramref name="tenant"/> with a pasted token, as a person does outside Development.</summary>
    public async Task ShowAsync(string tenant, string token)
    {
        await page.GetByLabel("Tenant id").FillAsync(tenant);
        await page.GetByLabel("Bearer token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show carts" }).ClickAsync();
    }

    /// <summary>Runs the seed's five steps from the form, on <paramref name="cartId"/>.</summary>
    public async Task RunSeedAsync(string cartId)
    {
        await page.GetByLabel("Cart id").FillAsync(cartId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the five steps" }).ClickAsync();
    }
}
