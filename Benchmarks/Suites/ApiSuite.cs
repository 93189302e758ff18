using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CartGraph.Api.Hosting;
using Microsoft.Extensions.Logging;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// The API over real HTTP and WebSocket on loopback: addItemToCart mutations and cart queries from 16 concurrent
/// clients (mutations spread over 160 carts, then all on one cart: <see cref="HotStream"/>), and the delay from a mutation's response to the subscriber's <c>next</c>.
/// </summary>
internal static class ApiSuite
{
    private const int Clients = 16;
    private const int CartsPerClient = 10;
    private const string Tenant = "bench-api";

    private static readonly string Token = BenchAuth.TokenFor(Tenant);

    private const string AddItem = """
        mutation($input: AddItemToCartInput!) { addItemToCart(input: $input) { version errors { __typename } } }
        """;

    private const string GetCart = """
        query($tenantId: ID!, $cartId: ID!) { cart(tenantId: $tenantId, cartId: $cartId) { cartId status total version items { sku quantity } } }
        """;

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context)
    {
        await using var app = await CartGraphApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--environment", "Production"], builder =>
        {
            builder.Configuration["ConnectionStrings:EventStore"] = context.ConnectionString;
            builder.Configuration["Auth:SigningKey"] = BenchAuth.SigningKey;
            // The benchmark measures throughput, not the per-tenant rate limit, which would cap one tenant first.
            builder.Configuration["Limits:MutationsPerSecondPerTenant"] = "1000000";
            builder.Configuration["Limits:MutationBurstPerTenant"] = "1000000";
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var address = new Uri(CartGraphApp.Addresses(app)[0]);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients * 2 }) { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);

        for (var client = 0; client < Clients; client++)
            for (var cart = 0; cart < CartsPerClient; cart++)
                await SendAsync(http, "mutation($i: CreateCartInput!) { createCart(input: $i) { version } }",
                    new { i = new { tenantId = Tenant, cartId = CartId(client, cart), currency = "USD" } });

        var figures = new List<Figure>();
        figures.AddRange(await Mutations(http, context.Events));
        // The same run's server, warmed up by the spread load: the two figures compare on one machine state.
        figures.AddRange(await HotStream.RunAsync(http, Tenant, Token, Clients, context.Events));
        figures.Add(await Queries(http, context.Events));
        figures.AddRange(await SubscriptionDelivery(http, address));
        await app.StopAsync();
        return figures;
    }

    private static string CartId(int client, int cart) => $"c{client:00}-{cart:00}";

    private static async Task<IReadOnlyList<Figure>> Mutations(HttpClient http, int events)
    {
        if (Wrk.Find() is { } wrk) return await MutationsWithWrk(http, wrk);
        var perClient = Math.Max(events / Clients, 100);
        var latencies = new Latencies();
        // Warm up: JIT, prepared statements, document cache.
        await Load(http, AddItem, 20, (client, i) => AddItemBody(client, i), new Latencies(), null);
        using var progress = new Progress($"addItemToCart over HTTP, {Clients} clients", perClient * Clients);
        var clock = Stopwatch.StartNew();
        await Load(http, AddItem, perClient, (client, i) => AddItemBody(client, i + 1_000), latencies, progress);
        var perSecond = perClient * Clients / clock.Elapsed.TotalSeconds;
        return
        [
            new("api_mutations_per_s", $"addItemToCart mutations, {Clients} clients", perSecond, "req/s", "HTTP POST, each appends one event"),
            new("api_mutation_p50_ms", "addItemToCart latency p50", latencies.Percentile(50), "ms"),
            new("api_mutation_p99_ms", "addItemToCart latency p99", latencies.Percentile(99), "ms"),
        ];
    }

    private static async Task<Figure> Queries(HttpClient http, int events)
    {
        if (Wrk.Find() is { } wrk) return await QueriesWithWrk(http, wrk);
        var perClient = Math.Max(events / Clients, 200);
        var latencies = new Latencies();
        await Load(http, GetCart, 50, CartQueryBody, new Latencies(), null);
        using var progress = new Progress($"cart queries over HTTP, {Clients} clients", perClient * Clients);
        var clock = Stopwatch.StartNew();
        await Load(http, GetCart, perClient, CartQueryBody, latencies, progress);
        return new("api_queries_per_s", $"cart queries, {Clients} clients", perClient * Clients / clock.Elapsed.TotalSeconds, "req/s",
            $"p50 {latencies.Percentile(50):0.00} ms, p99 {latencies.Percentile(99):0.00} ms");
    }

    private static readonly TimeSpan WrkDuration = TimeSpan.FromSeconds(10);

    private static async Task<IReadOnlyList<Figure>> MutationsWithWrk(HttpClient http, string wrk)
    {
        // Each of wrk's two threads cycles over its own half of the carts, so concurrent requests rarely share one.
        var script = """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer TOKEN"
            local counter, offset = 0, 0
            function setup(thread) thread:set("offset", offset); offset = offset + 1 end
            function init(args) offset = tonumber(wrk.thread:get("offset")) or 0 end
            function request()
              counter = counter + 1
              local cart = (offset * HALF + counter % HALF)
              local sku = counter % 5
              local body = '{"query":"mutation($input: AddItemToCartInput!) { addItemToCart(input: $input) { version errors { __typename } } }","variables":{"input":{"tenantId":"TENANT","cartId":"' ..
                string.format("c%02d-%02d", cart, math.floor(counter / HALF) % CARTS) ..
                '","item":{"sku":"SKU-' .. sku .. '","name":"Item ' .. sku .. '","quantity":1,"unitPrice":' .. (9.99 + sku) .. '}}}}'
              return wrk.format(nil, nil, nil, body)
            end
            """.Replace("HALF", $"{Clients / 2}").Replace("CARTS", $"{CartsPerClient}").Replace("TENANT", Tenant).Replace("TOKEN", Token);
        Progress.Say($"  addItemToCart over HTTP: wrk, {Clients} connections, warm-up, then {WrkDuration.TotalSeconds:0} s ...");
        var result = await Wrk.RunAsync(wrk, new Uri(http.BaseAddress!, "/graphql"), script, Clients, WrkDuration);
        return
        [
            new("api_mutations_per_s", $"addItemToCart mutations, {Clients} clients", result.RequestsPerSecond, "req/s",
                $"HTTP POST from wrk, each appends one event; {result.Errors} non-2xx"),
            new("api_mutation_p50_ms", "addItemToCart latency p50", result.P50Ms, "ms"),
            new("api_mutation_p99_ms", "addItemToCart latency p99", result.P99Ms, "ms"),
        ];
    }

    private static async Task<Figure> QueriesWithWrk(HttpClient http, string wrk)
    {
        var script = """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer TOKEN"
            local counter = 0
            function request()
              counter = counter + 1
              local body = '{"query":"query($tenantId: ID!, $cartId: ID!) { cart(tenantId: $tenantId, cartId: $cartId) { cartId status total version items { sku quantity } } }","variables":{"tenantId":"TENANT","cartId":"' ..
                string.format("c%02d-%02d", counter % CLIENTS, math.floor(counter / CLIENTS) % CARTS) .. '"}}'
              return wrk.format(nil, nil, nil, body)
            end
            """.Replace("CLIENTS", $"{Clients}").Replace("CARTS", $"{CartsPerClient}").Replace("TENANT", Tenant).Replace("TOKEN", Token);
        Progress.Say($"  cart queries over HTTP: wrk, {Clients} connections, warm-up, then {WrkDuration.TotalSeconds:0} s ...");
        var result = await Wrk.RunAsync(wrk, new Uri(http.BaseAddress!, "/graphql"), script, Clients, WrkDuration);
        return new("api_queries_per_s", $"cart queries, {Clients} clients", result.RequestsPerSecond, "req/s",
            $"from wrk; p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms; {result.Errors} non-2xx");
    }

    private static async Task<IReadOnlyList<Figure>> SubscriptionDelivery(HttpClient http, Uri address)
    {
        const int Mutations = 300;
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new UriBuilder(address) { Scheme = "ws", Path = "/graphql" }.Uri, CancellationToken.None);
        await SendFrameAsync(socket, new { type = "connection_init", payload = new { authorization = $"Bearer {Token}" } });
        await ReceiveFrameAsync(socket);
        await SendFrameAsync(socket, new
        {
            id = "1",
            type = "subscribe",
            payload = new
            {
                query = "subscription($t: ID!, $c: ID!) { cartChanged(tenantId: $t, cartId: $c) { version } }",
                variables = new { t = Tenant, c = CartId(0, 0) },
            },
        });
        await Task.Delay(200);

        var delays = new Latencies();
        using (var progress = new Progress("mutation response -> subscription next", Mutations))
        {
            for (var i = 0; i < Mutations; i++)
            {
                var response = await SendAsync(http, AddItem, AddItemBody(0, 50_000 + i * CartsPerClient));
                var answered = Stopwatch.GetTimestamp();
                var version = (long)response["data"]!["addItemToCart"]!["version"]!;
                while (true)
                {
                    var next = await ReceiveFrameAsync(socket);
                    if ((string?)next["type"] == "next" && (long)next["payload"]!["data"]!["cartChanged"]!["version"]! >= version) break;
                }
                delays.Add(Stopwatch.GetElapsedTime(answered));
                progress.Advance();
            }
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        return
        [
            new("subscription_delivery_p50_ms", "mutation response -> cartChanged next, p50", delays.Percentile(50), "ms"),
            new("subscription_delivery_p99_ms", "mutation response -> cartChanged next, p99", delays.Percentile(99), "ms"),
        ];
    }

    private static object AddItemBody(int client, int i) => new
    {
        input = new
        {
            tenantId = Tenant,
            cartId = CartId(client, i % CartsPerClient),
            item = new { sku = $"SKU-{i % 5}", name = $"Item {i % 5}", quantity = 1, unitPrice = 9.99m + i % 5 },
        },
    };

    private static object CartQueryBody(int client, int i) => new { tenantId = Tenant, cartId = CartId(client, i % CartsPerClient) };

    private static Task Load(
        HttpClient http, string query, int perClient, Func<int, int, object> variables, Latencies latencies, Progress? progress) =>
        Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < perClient; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var response = await SendAsync(http, query, variables(client, i));
                latencies.Add(Stopwatch.GetElapsedTime(started));
                if (response["errors"] is not null || response["data"]!.AsObject().Single().Value is JsonObject { } payload && payload["errors"] is JsonArray { Count: > 0 })
                    throw new InvalidOperationException(response.ToJsonString());
                progress?.Advance();
            }
        })));

    private static async Task<JsonNode> SendAsync(HttpClient http, string query, object variables)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/graphql", content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static Task SendFrameAsync(ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonNode> ReceiveFrameAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!;
    }
}
