using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Ide;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CartGraph.Tests.Api.Board;

/// <summary>The cart board in a real browser against the real API: carts changed anywhere show without a reload, the
/// seed form runs the seed's five steps, and the page needs nothing but this server.</summary>
public sealed class BoardSpecs(ApiServer api, ITestOutputHelper output) : IClassFixture<ApiServer>
{
    /// <summary>The tenant of the Development token, which the board shows when opened.</summary>
    const string Demo = "demo";

    /// <summary>How soon a change made over HTTP must show on the board.</summary>
    static readonly TimeSpan Promptly = TimeSpan.FromSeconds(1);

    static readonly LocatorAssertionsToBeVisibleOptions SoonVisible = new() { Timeout = (float)Promptly.TotalMilliseconds };
    static readonly LocatorAssertionsToHaveTextOptions SoonText = new() { Timeout = (float)Promptly.TotalMilliseconds };

    Uri BoardAddress => new(api.BaseAddress, "/board/");

    /// <summary>Runs <paramref name="steps"/> in a fresh browser; the screenshot is kept whatever happens, as the artefact.</summary>
    async Task OnBoardAsync(string screenshot, Func<IPage, BoardPage, Task> steps)
    {
        await using var chromium = await Chromium.OpenAsync(api.BaseAddress);
        var problems = new List<string>();
        chromium.Page.PageError += (_, error) => problems.Add($"page error: {error}");
        try
        {
            await steps(chromium.Page, new BoardPage(chromium.Page));
            Assert.True(chromium.RefusedRequests.Count == 0, $"the board reached outside the server: {string.Join(", ", chromium.RefusedRequests)}");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            try { output.WriteLine($"screenshot: {await chromium.ScreenshotAsync(screenshot)}"); }
            catch (PlaywrightException e) { output.WriteLine($"no screenshot: {e.Message}"); }
        }
    }

    /// <summary>Waits for <paramref name="assertion"/> and says how long the change took to show.</summary>
    async Task ShowsAsync(string what, Func<Task> assertion)
    {
        var clock = Stopwatch.StartNew();
        await assertion();
        output.WriteLine($"{what}: on the board after {clock.ElapsedMilliseconds} ms");
    }

    [ChromiumFact]
    public async Task Carts_changed_over_HTTP_show_on_the_open_board_within_a_second()
    {
        var shop = new Shop(api.Http, Demo);
        var before = $"board-before-{Guid.NewGuid():N}";
        await shop.Create(before, "EUR");
        await shop.Add(before, "BOARD-1", quantity: 3, unitPrice: 2.5m, name: "Loaded first");

        await OnBoardAsync("board-live", async (page, board) =>
        {
            await page.GotoAsync(BoardAddress.ToString());
            await board.LiveAsync();
            await Expect(board.TotalOf(before)).ToHaveTextAsync("EUR 7.50");
            await page.EvaluateAsync("() => { window.boardNotReloaded = true; }");

            var cartId = $"board-live-{Guid.NewGuid():N}";
            await shop.Create(cartId, "EUR");
            await ShowsAsync("a new cart", () => Expect(board.Row(cartId)).ToBeVisibleAsync(SoonVisible));
            await Expect(board.StatusOf(cartId)).ToHaveTextAsync("Active");

            await shop.Add(cartId, "BOARD-2", quantity: 2, unitPrice: 10m, name: "Live item");
            await ShowsAsync("an added item", () => Expect(board.TotalOf(cartId)).ToHaveTextAsync("EUR 20.00", SoonText));
            await Expect(board.ItemsOf(cartId)).ToContainTextAsync("2 × Live item");

            await shop.CheckOut(cartId);
            await ShowsAsync("a checkout", () => Expect(board.StatusOf(cartId)).ToHaveTextAsync("Checked out", SoonText));

            await shop.Cancel(before);
            await ShowsAsync("a cancellation", () => Expect(board.StatusOf(before)).ToHaveTextAsync("Cancelled", SoonText));

            await Expect(board.RecentEvents).ToContainTextAsync("CartCheckedOut");
            Assert.True(await page.EvaluateAsync<bool>("() => window.boardNotReloaded === true"), "the page was reloaded");
        });
    }

    [ChromiumFact]
    public async Task After_its_socket_drops_the_board_resumes_after_the_last_event_it_saw_and_shows_what_changed_meanwhile_without_reloading_its_pages()
    {
        var shop = new Shop(api.Http, Demo);
        var cartId = $"board-dropped-{Guid.NewGuid():N}";
        var createdAway = $"board-away-{Guid.NewGuid():N}";
        await shop.Create(cartId, "EUR");
        var sockets = new List<IWebSocketRoute>(); // each socket the page opens, passed on to the server
        var subscribes = new List<JsonNode>(); // the variables of each subscribe message the page sends
        var lastCursorSeen = (string?)null;
        var pageLoads = 0; // the board's Carts queries: one per page of carts it loads

        await OnBoardAsync("board-reconnected", async (page, board) =>
        {
            page.Request += (_, request) =>
            {
                if (request.Method == "POST" && request.PostData?.Contains("query Carts(", StringComparison.Ordinal) == true)
                    Interlocked.Increment(ref pageLoads);
            };
            await page.RouteWebSocketAsync(new Regex("/graphql$"), socket =>
            {
                var server = socket.ConnectToServer();
                lock (sockets) sockets.Add(socket);
                socket.OnMessage(frame =>
                {
                    if (JsonNode.Parse(frame.Text!) is { } message && (string?)message["type"] == "subscribe")
                        lock (subscribes) subscribes.Add(message["payload"]!["variables"]!.DeepClone());
                    server.Send(frame.Text!);
                });
                server.OnMessage(frame =>
                {
                    if (JsonNode.Parse(frame.Text!) is { } message && (string?)message["type"] == "next"
                        && message["payload"]?["data"]?["cartEvents"]?["cursor"] is { } cursor)
                        lastCursorSeen = (string)cursor!;
                    socket.Send(frame.Text!);
                });
            });
            await page.GotoAsync(BoardAddress.ToString());
            await board.LiveAsync();
            await Expect(board.Row(cartId)).ToBeVisibleAsync();
            await shop.Add(cartId, "BOARD-2", quantity: 1, unitPrice: 1m, name: "Seen live");
            await Expect(board.TotalOf(cartId)).ToHaveTextAsync("EUR 1.00");
            await page.EvaluateAsync("() => { window.boardNotReloaded = true; }");
            var loadsBeforeDrop = Volatile.Read(ref pageLoads);

            // The close a server sends when it shuts down (1001 going away); the server's side closes with it.
            await sockets.Single().CloseAsync(new() { Code = 1001, Reason = "going away" });
            await Expect(board.Status).ToContainTextAsync("reconnecting");
            var cursorAtDrop = lastCursorSeen;
            await shop.Add(cartId, "BOARD-3", quantity: 4, unitPrice: 1m, name: "Added while away");
            await shop.Create(createdAway, "EUR");

            await board.LiveAsync();
            await Expect(board.TotalOf(cartId)).ToHaveTextAsync("EUR 5.00");
            await Expect(board.Row(createdAway)).ToBeVisibleAsync();
            Assert.Equal(2, sockets.Count);
            Assert.Null((string?)subscribes[0]["after"]);
            Assert.NotNull(cursorAtDrop);
            Assert.Equal(cursorAtDrop, (string?)subscribes[^1]["after"]);
            Assert.Equal(loadsBeforeDrop, Volatile.Read(ref pageLoads));
            Assert.True(await page.EvaluateAsync<bool>("() => window.boardNotReloaded === true"), "the page was reloaded");

            // Reload still reads every page.
            await page.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (Volatile.Read(ref pageLoads) == loadsBeforeDrop && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.True(Volatile.Read(ref pageLoads) > loadsBeforeDrop, "Reload must read the pages again");
        });
    }

    [ChromiumFact]
    public async Task When_the_server_completes_its_feed_the_board_subscribes_again()
    {
        var shop = new Shop(api.Http, Demo);
        var cartId = $"board-completed-{Guid.NewGuid():N}";
        await shop.Create(cartId, "EUR");
        var subscriptions = new List<string>(); // the id of each subscribe message the page sends
        IWebSocketRoute? first = null;

        await OnBoardAsync("board-resubscribed", async (page, board) =>
        {
            await page.RouteWebSocketAsync(new Regex("/graphql$"), socket =>
            {
                var server = socket.ConnectToServer();
                first ??= socket;
                socket.OnMessage(frame =>
                {
                    if (JsonNode.Parse(frame.Text!) is { } message && (string?)message["type"] == "subscribe")
                        lock (subscriptions) subscriptions.Add((string)message["id"]!);
                    server.Send(frame.Text!);
                });
            });
            await page.GotoAsync(BoardAddress.ToString());
            await board.LiveAsync();

            // What a server shutting down sends for each subscription before it closes the socket.
            first!.Send($$"""{"id":"{{subscriptions.Single()}}","type":"complete"}""");
            await Expect(board.Status).ToContainTextAsync("reconnecting");
            await board.LiveAsync();
            await shop.Add(cartId, "BOARD-4", unitPrice: 3m, name: "After the feed ended");

            await Expect(board.TotalOf(cartId)).ToHaveTextAsync("EUR 3.00");
            Assert.Equal(2, subscriptions.Count);
        });
    }

    [ChromiumFact]
    public async Task The_seed_form_runs_the_five_steps_and_shows_each_result_or_payload_error()
    {
        var cartId = $"board-seed-{Guid.NewGuid():N}";

        await OnBoardAsync("board-seed", async (page, board) =>
        {
            await page.GotoAsync(BoardAddress.ToString());
            await board.LiveAsync();

            await board.RunSeedAsync(cartId);

            await Expect(board.SeedStep(5)).ToHaveAttributeAsync("data-state", "done");
            for (var step = 1; step <= 5; step++) await Expect(board.SeedStep(step)).ToHaveAttributeAsync("data-state", "done");
            await Expect(board.SeedStep(1)).ToContainTextAsync("Active, version 1, total USD 0.00");
            await Expect(board.SeedStep(3)).ToContainTextAsync("version 3, total USD 65.00");
            await Expect(board.SeedStep(5)).ToContainTextAsync("Checked out, version 5, total USD 40.00");
            await Expect(board.StatusOf(cartId)).ToHaveTextAsync("Checked out", SoonText);
            await Expect(board.TotalOf(cartId)).ToHaveTextAsync("USD 40.00");
            await Expect(board.ItemsOf(cartId)).ToContainTextAsync("1 × Item 123");
            await Expect(board.ItemsOf(cartId)).ToContainTextAsync("1 × Item 456");

            // The same cart id again: the first step's payload error shows (a closed cart takes no command, creation
            // included), and nothing after it runs.
            await board.RunSeedAsync(cartId);

            await Expect(board.SeedStep(1)).ToHaveAttributeAsync("data-state", "failed");
            await Expect(board.SeedStep(1)).ToContainTextAsync("CART_CLOSED: The cart is checked out");
            for (var step = 2; step <= 5; step++) await Expect(board.SeedStep(step)).ToContainTextAsync("Not run");
            await Expect(board.StatusOf(cartId)).ToHaveTextAsync("Checked out");
        });
    }

    [ChromiumFact]
    public async Task A_pasted_token_shows_the_tenant_it_names_with_every_page_of_its_carts()
    {
        const string tenant = "board-paste";
        const int count = 130; // more than one page of the carts query (100)
        var shop = new Shop(api.Http, tenant);
        var cartIds = Enumerable.Range(1, count).Select(i => $"pasted-{i:000}").ToList();
        foreach (var chunk in cartIds.Chunk(10)) await Task.WhenAll(chunk.Select(id => shop.Create(id, "GBP")));
        await new Shop(api.Http, Demo).Create($"board-demo-{Guid.NewGuid():N}");

        await OnBoardAsync("board-pasted-token", async (page, board) =>
        {
            await page.GotoAsync(BoardAddress.ToString());
            await board.LiveAsync();

            await board.ShowAsync(tenant, TestTokens.For(tenant));

            await Expect(board.Caption).ToHaveTextAsync($"{count} carts of tenant {tenant}");
            await board.LiveAsync();
            await Expect(board.Row(cartIds[0])).ToBeVisibleAsync();
            await Expect(board.Row(cartIds[^1])).ToBeVisibleAsync();
            Assert.EndsWith($"/board/?tenant={tenant}", page.Url);

            await shop.Add(cartIds[^1], "PASTED", unitPrice: 1.25m);
            await ShowsAsync("a change in the pasted token's tenant", () => Expect(board.TotalOf(cartIds[^1])).ToHaveTextAsync("GBP 1.25", SoonText));
        });
    }

    [ChromiumFact]
    public async Task A_token_for_another_tenant_is_refused_and_the_board_says_so()
    {
        await OnBoardAsync("board-refused", async (page, board) =>
        {
            await page.GotoAsync(BoardAddress.ToString());
            await board.LiveAsync();

            await board.ShowAsync("board-not-mine", TestTokens.For("board-other"));

            await Expect(board.Status).ToHaveAttributeAsync("data-state", "error");
            await Expect(board.Caption).ToHaveTextAsync("0 carts of tenant board-not-mine");
        });
    }
}
