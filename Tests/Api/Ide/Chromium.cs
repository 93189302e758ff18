using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace CartGraph.Tests.Api.Ide;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (never <c>playwright install</c>), with one page that can
/// reach only the server under test: anything else is refused and recorded, so a test proves the IDE needs no CDN.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>How long any one step (launch, navigation, a wait for the page) may take before the test fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    readonly IPlaywright playwright;
    readonly IBrowser browser;
    readonly ConcurrentQueue<string> refused;

    Chromium(IPlaywright playwright, IBrowser browser, IPage page, ConcurrentQueue<string> refused) =>
        (this.playwright, this.browser, Page, this.refused) = (playwright, browser, page, refused);

    public IPage Page { get; }

    /// <summary>Requests the page made to anywhere but the server under test (all refused).</summary>
    public IReadOnlyCollection<string> RefusedRequests => refused;

    public static async Task<Chromium> OpenAsync(Uri server)
    {
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        var playwright = await Playwright.CreateAsync().WaitAsync(Patience);
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ExecutablePath, Args = Arguments, Headless = true, Timeout = (float)Patience.TotalMilliseconds,
            });
            // NOTE: the IDE registers a service worker that reloads the page once it has cached the app, racing the
            // test's clicks, and whose own fetches escape Playwright's routing; blocked, every request is seen.
            var context = await browser.NewContextAsync(new()
            {
                ViewportSize = new() { Width = 1440, Height = 900 }, ServiceWorkers = ServiceWorkerPolicy.Block,
            });
            context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
            var refused = new ConcurrentQueue<string>();
            await context.RouteAsync(url => new Uri(url).Authority != server.Authority, route =>
            {
                refused.Enqueue(route.Request.Url);
                return route.AbortAsync("internetdisconnected");
            });
            return new Chromium(playwright, browser, await context.NewPageAsync(), refused);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Saves what the page shows under the test output's TestResults/; returns the file's path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", $"{name}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
