using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// The hot-stream figure of the <c>api</c> suite: every client adds items to one shared cart, without an expectedVersion,
/// as a new user of a shared cart (or a flash sale on one stream) would. Every answer is counted: accepted, answered
/// <c>ConcurrencyConflictError</c> (which a client that gave no version never asked for), or another error.
/// </summary>
internal static partial class HotStream
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    /// <summary>Skus the load cycles over: each takes up to 10 000 units, a cart up to 100 skus.</summary>
    private const int Skus = 100;

    public static async Task<IReadOnlyList<Figure>> RunAsync(HttpClient http, string tenant, string token, int clients, int events)
    {
        var warmCart = await CreateCartAsync(http, tenant, "hot-warm");
        var cart = await CreateCartAsync(http, tenant, "hot");
        var result = Wrk.Find() is { } wrk
            ? await WithWrkAsync(http, wrk, tenant, token, warmCart, cart, clients)
            : await WithHttpClientAsync(http, tenant, cart, clients, events);
        var label = $"addItemToCart on one cart, {clients} clients";
        return
        [
            new("api_hot_mutations_per_s", label, result.PerSecond, "req/s",
                $"no expectedVersion; p50 {result.P50Ms:0.00} ms; {result.Conflicts} of {result.Requests} answered ConcurrencyConflictError, {result.OtherErrors} other errors"),
            new("api_hot_p99_ms", "addItemToCart on one cart, latency p99", result.P99Ms, "ms"),
            new("api_hot_conflicts", "addItemToCart on one cart, ConcurrencyConflictError answers", result.Conflicts, "answers"),
        ];
    }

    private sealed record Outcome(double PerSecond, double P50Ms, double P99Ms, long Requests, long Conflicts, long OtherErrors);

    private static async Task<string> CreateCartAsync(HttpClient http, string tenant, string name)
    {
        var cartId = $"{name}-{Guid.NewGuid():N}"[..24];
        var created = await SendAsync(http, "mutation($i: CreateCartInput!) { createCart(input: $i) { version errors { __typename } } }",
            new { i = new { tenantId = tenant, cartId, currency = "USD" } });
        if ((long?)created["data"]?["createCart"]?["version"] != 1) throw new InvalidOperationException(created.ToJsonString());
        return cartId;
    }

    private static async Task<Outcome> WithWrkAsync(HttpClient http, string wrk, string tenant, string token, string warmCart, string cart, int clients)
    {
        // Counts answers by kind in each wrk thread, and prints the sums when done (wrk runs `done` once, after its threads).
        const string Script = """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer TOKEN"
            local threads = {}
            function setup(thread) table.insert(threads, thread) end
            local counter = 0
            conflicts, others = 0, 0 -- globals: thread:get reads them
            function request()
              counter = counter + 1
              local sku = counter % SKUS
              local body = '{"query":"mutation($input: AddItemToCartInput!) { addItemToCart(input: $input) { version errors { __typename } } }","variables":{"input":{"tenantId":"TENANT","cartId":"CART","item":{"sku":"SKU-' ..
                sku .. '","name":"Item ' .. sku .. '","quantity":1,"unitPrice":' .. (1 + sku) .. '}}}}'
              return wrk.format(nil, nil, nil, body)
            end
            function response(status, headers, body)
              if string.find(body, "ConcurrencyConflictError", 1, true) then conflicts = conflicts + 1
              elseif status ~= 200 or string.find(body, '"errors":[', 1, true) then others = others + 1 end
            end
            function done(summary, latency, requests)
              local c, o = 0, 0
              for _, thread in ipairs(threads) do c = c + thread:get("conflicts"); o = o + thread:get("others") end
              io.write(string.format("hot conflicts: %d\nhot other errors: %d\n", c, o))
            end
            """;
        string For(string cartId) => Script.Replace("SKUS", $"{Skus}").Replace("TENANT", tenant).Replace("CART", cartId).Replace("TOKEN", token);
        var url = new Uri(http.BaseAddress!, "/graphql");
        Progress.Say($"  addItemToCart on one cart: wrk, {clients} connections, a warm-up round, then {Duration.TotalSeconds:0} s ...");
        await Wrk.RunOnceAsync(wrk, url, For(warmCart), clients, Wrk.WarmUpRound);
        var result = await Wrk.RunOnceAsync(wrk, url, For(cart), clients, Duration);
        return new Outcome(result.RequestsPerSecond, result.P50Ms, result.P99Ms, result.Requests,
            Count(ConflictsLine(), result.Output), Count(OtherErrorsLine(), result.Output) + result.Errors);
    }

    private static async Task<Outcome> WithHttpClientAsync(HttpClient http, string tenant, string cart, int clients, int events)
    {
        var perClient = Math.Max(events / clients / 4, 50);
        var latencies = new Latencies();
        long conflicts = 0, others = 0;
        using var progress = new Progress($"addItemToCart on one cart over HTTP, {clients} clients", perClient * clients);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < perClient; i++)
            {
                var sku = (client * perClient + i) % Skus;
                var started = Stopwatch.GetTimestamp();
                var response = await SendAsync(http, "mutation($input: AddItemToCartInput!) { addItemToCart(input: $input) { version errors { __typename } } }",
                    new { input = new { tenantId = tenant, cartId = cart, item = new { sku = $"SKU-{sku}", name = $"Item {sku}", quantity = 1, unitPrice = 1 + sku } } });
                latencies.Add(Stopwatch.GetElapsedTime(started));
                var errors = response["data"]?["addItemToCart"]?["errors"] as JsonArray;
                if (errors?.Any(e => (string?)e!["__typename"] == "ConcurrencyConflictError") == true) Interlocked.Increment(ref conflicts);
                else if (response["errors"] is not null || errors is { Count: > 0 }) Interlocked.Increment(ref others);
                progress.Advance();
            }
        })));
        return new Outcome(perClient * clients / clock.Elapsed.TotalSeconds, latencies.Percentile(50), latencies.Percentile(99),
            perClient * clients, conflicts, others);
    }

    private static long Count(Regex line, string output) =>
        line.Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"wrk said: {output}");

    private static async Task<JsonNode> SendAsync(HttpClient http, string query, object variables)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/graphql", content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [GeneratedRegex(@"^hot conflicts: ([0-9]+)$", RegexOptions.Multiline)]
    private static partial Regex ConflictsLine();

    [GeneratedRegex(@"^hot other errors: ([0-9]+)$", RegexOptions.Multiline)]
    private static partial Regex OtherErrorsLine();
}
