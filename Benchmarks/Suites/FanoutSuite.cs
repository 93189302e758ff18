using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// Fan-out of one tenant's <c>cartEvents</c>: <c>--subscribers N</c> graphql-transport-ws clients, each on a socket of its
/// own, subscribed on one API instance (started here, its Limits:MaxConnectionsPerTenant raised to N for this run only),
/// while one writer sends a stream of addItemToCart (one every 250 ms). Per change: from the mutation's response to
/// the last subscriber's <c>next</c> (p50, p99), every change to every subscriber checked; the API's RSS before and
/// with the subscribers open (per subscriber: the idle cost of one); the database commands per change the API process
/// sends (Npgsql's own count there, the mutation's, projection's and feed's; its idle rate, its timers', taken off), which
/// must not grow with N; beside it, the database's transactions (every backend's) and the CPU of the API, of the clients
/// and of PostgreSQL per change, to tell what limits the latency.
/// </summary>
internal static class FanoutSuite
{
    /// <summary>Enough for a p99 that is not simply the slowest change (with 40, it was).</summary>
    private const int Changes = 200;

    /// <summary>Sent, unmeasured, once every subscriber is open: what each subscriber runs is compiled again, optimized,
    /// after its first calls, so the first changes after thousands of subscribers joined are slower, once.</summary>
    private const int WarmUpChanges = 10;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);

    private const string Subscription =
        "subscription($t: ID!) { cartEvents(tenantId: $t) { cursor cartId type streamPosition } }";

    private const string CreateCart =
        "mutation($input: CreateCartInput!) { createCart(input: $input) { version errors { __typename } } }";

    private const string AddItem =
        "mutation($input: AddItemToCartInput!) { addItemToCart(input: $input) { version errors { __typename } } }";

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context)
    {
        var n = context.Subscribers;
        var tenant = (await context.NewTenantAsync("fanout")).Value;
        var token = BenchAuth.TokenFor(tenant);
        await using var server = await ApiServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__EventStore"] = context.ConnectionString,
            ["Auth__SigningKey"] = BenchAuth.SigningKey,
            ["Limits__MaxConnectionsPerTenant"] = (n + 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await MutateAsync(http, CreateCart, new { tenantId = tenant, cartId = "fanout", currency = "USD" });
        for (var i = 0; i < 5; i++) await AddAsync(http, tenant, i); // JIT, prepared statements, the aggregate in cache
        await Task.Delay(TimeSpan.FromSeconds(2));
        var rssBefore = server.ResidentBytes;

        // Per stream position: how many subscribers got it, and when the last one did.
        var deliveries = new FanoutDeliveries(16 + WarmUpChanges + Changes);

        var endpoint = new UriBuilder(new Uri(server.BaseAddress, "/graphql")) { Scheme = "ws" }.Uri;
        var subscribe = new JsonObject
        {
            ["id"] = "1", ["type"] = "subscribe",
            ["payload"] = new JsonObject { ["query"] = Subscription, ["variables"] = new JsonObject { ["t"] = tenant } },
        }.ToJsonString();
        var subscribers = new FanoutSubscriber[n];
        var opened = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            subscribers[i] = new FanoutSubscriber(endpoint, token, subscribe, deliveries.Received);
            await subscribers[i].OpenAsync();
            if (Interlocked.Increment(ref opened) % 1000 == 0) Progress.Say($"  {opened} subscribers open ({clock.Elapsed.TotalSeconds:0} s)");
        });
        try
        {
            // Every subscription is live once a change reaches all of them. A client's subscribe is sent, not yet run, when
            // it counts as open: one the server had not run yet when a change was read does not get that change (a
            // subscription starts from now), so changes are sent until one reaches every subscriber.
            long warm = 0;
            for (var attempt = 0; attempt < 6 && (warm == 0 || deliveries.Count(warm) < n); attempt++)
            {
                warm = await AddAsync(http, tenant, 100);
                await UntilAsync(() => deliveries.Count(warm) >= n, TimeSpan.FromSeconds(10), () => "", throws: false);
            }
            if (deliveries.Count(warm) < n)
                throw new TimeoutException($"no change reached every subscriber ({deliveries.Count(warm)} got the last; {Unexpected(subscribers)}; server: {string.Join(" | ", server.Output.TakeLast(5))})");
            for (var i = 0; i < WarmUpChanges; i++)
            {
                warm = await AddAsync(http, tenant, 101 + i);
                await Task.Delay(Interval);
            }
            await UntilAsync(() => deliveries.Count(warm) >= n, TimeSpan.FromSeconds(60),
                () => $"every subscriber got the warm-up changes ({deliveries.Count(warm)} did; {Unexpected(subscribers)})");
            await Task.Delay(TimeSpan.FromSeconds(3));
            var rssOpen = server.ResidentBytes;
            Progress.Say($"  {n} subscribers live; RSS {rssBefore / 1048576.0:0} MB before, {rssOpen / 1048576.0:0} MB with them");

            // What the instance sends the database with nobody writing (its timers), then while the changes fan out.
            using var commands = NpgsqlCommands.Watch(server.Id);
            var idling = await FanoutCosts.StartAsync(context, commands, server.Id);
            await Task.Delay(IdleWindow);
            var idle = await idling();
            var measuring = await FanoutCosts.StartAsync(context, commands, server.Id);
            var responded = new ConcurrentDictionary<long, long>();
            var writes = new List<Task>();
            for (var i = 0; i < Changes; i++)
            {
                var index = i;
                writes.Add(Task.Run(async () => responded[await AddAsync(http, tenant, index)] = Stopwatch.GetTimestamp()));
                await Task.Delay(Interval);
            }
            await Task.WhenAll(writes);
            var positions = responded.Keys.ToList();
            await UntilAsync(() => positions.All(p => deliveries.Count(p) >= n), TimeSpan.FromSeconds(60),
                () => $"every change reached every subscriber ({positions.Min(p => deliveries.Count(p))} got them all; {Unexpected(subscribers)})");
            await Task.Delay(TimeSpan.FromSeconds(2)); // pg_stat_database is flushed at most once a second
            var costs = await measuring();
            var idlePerSecond = idle.ApiCommands / idle.Elapsed.TotalSeconds;
            var statements = (costs.ApiCommands - idlePerSecond * costs.Elapsed.TotalSeconds) / Changes;

            var latencies = new Latencies();
            foreach (var (position, at) in responded.OrderBy(r => r.Key)) latencies.Add(Stopwatch.GetElapsedTime(at, Math.Max(at, deliveries.LastAt(position))));
            Progress.Say($"  each change in order, ms: {latencies.InOrder()}");
            var delivered = positions.Sum(p => (long)deliveries.Count(p));
            var errors = subscribers.Sum(s => s.Errors);
            var note = $"{Changes} changes every {Interval.TotalMilliseconds:0} ms; {delivered} of {(long)n * Changes} deliveries; {errors} other messages";
            return
            [
                new("fanout_subscribers", "fanout: subscribers (one socket each)", n, "count", note),
                new("fanout_p50_ms", "fanout: response -> last subscriber's next p50", latencies.Percentile(50), "ms"),
                new("fanout_p99_ms", "fanout: response -> last subscriber's next p99", latencies.Percentile(99), "ms"),
                new("fanout_rss_mb", "fanout: API RSS with the subscribers open", rssOpen / 1048576.0, "MB", $"{rssBefore / 1048576.0:0} MB before they opened"),
                new("fanout_rss_kb_per_subscriber", "fanout: API RSS per idle subscriber", (rssOpen - rssBefore) / 1024.0 / n, "KB"),
                new("fanout_db_statements_per_change", "fanout: API's DB commands per change", statements, "count",
                    $"Npgsql total-commands of the API process over {costs.Elapsed.TotalSeconds:0.0} s, less its idle rate; the mutation's and projection's included"),
                new("fanout_db_commands_raw_per_change", "fanout: API's DB commands per change, idle included", costs.ApiCommands / Changes, "count"),
                new("fanout_db_idle_commands_per_s", "fanout: API's DB commands per s, idle", idlePerSecond, "count/s", $"over {idle.Elapsed.TotalSeconds:0.0} s"),
                new("fanout_db_transactions_per_change", "fanout: database's transactions per change", costs.Transactions / (double)Changes, "count",
                    $"pg_stat_database, every backend's; {costs.AutovacuumRuns} autovacuum/autoanalyze runs in the window"),
                new("fanout_cpu_api_ms_per_change", "fanout: API CPU per change", costs.ApiCpu * 1000 / Changes, "ms"),
                new("fanout_cpu_clients_ms_per_change", "fanout: clients' CPU per change", costs.ClientCpu * 1000 / Changes, "ms", "this process: the subscribers and the writer"),
                new("fanout_cpu_postgres_ms_per_change", "fanout: PostgreSQL CPU per change", costs.PostgresCpu * 1000 / Changes, "ms"),
            ];
        }
        finally
        {
            await Parallel.ForEachAsync(subscribers.Where(s => s is not null), async (s, _) => await s.DisposeAsync());
        }
    }

    private static async Task<long> AddAsync(HttpClient http, string tenant, int i)
    {
        var payload = await MutateAsync(http, AddItem, new
        {
            tenantId = tenant, cartId = "fanout",
            item = new { sku = $"SKU-{i % 5}", name = $"Item {i % 5}", quantity = 1, unitPrice = 9.99m },
        });
        return (long)payload["version"]!;
    }

    private static async Task<JsonNode> MutateAsync(HttpClient http, string query, object input)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query, variables = new { input } });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body?["data"]?.AsObject().Single().Value is { } payload && payload["version"] is not null
            ? payload
            : throw new InvalidOperationException($"{query} failed: {body?.ToJsonString()}");
    }

    private static string Unexpected(FanoutSubscriber[] subscribers) =>
        $"{subscribers.Count(s => s.Unexpected is not null)} subscribers got something else, e.g. {subscribers.FirstOrDefault(s => s.Unexpected is not null)?.Unexpected ?? "-"}";

    /// <summary>Waits until <paramref name="condition"/> holds; after <paramref name="patience"/>, throws, or returns if not <paramref name="throws"/>.</summary>
    private static async Task UntilAsync(Func<bool> condition, TimeSpan patience, Func<string> what, bool throws = true)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                if (throws) throw new TimeoutException($"Not done after {patience.TotalSeconds:0} s: {what()}.");
                return;
            }
            await Task.Delay(20);
        }
    }
}
