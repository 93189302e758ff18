using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CartGraph.Api.Hosting;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Tests.Api;
using CartGraph.Tests.Api.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CartGraph.Tests.Resilience;

/// <summary>
/// With telemetry enabled, an exporter sees the spans and metrics the service promises: here an in-memory one, added to
/// the providers the API builds. Spans are picked by what is this spec's own (its port, tenant and database), as other
/// servers in this test process report to the same sources.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class TelemetrySpecs(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Tenant = "resilience-telemetry";

    private readonly Recorded<Activity> spans = new();
    private readonly Recorded<MetricSnapshot> metrics = new();
    private WebApplication app = null!;
    private Uri baseAddress = null!;

    [Fact]
    public async Task A_mutation_a_query_and_a_subscription_are_seen_as_spans_and_metrics_by_an_exporter()
    {
        using var http = TestTokens.ClientFor(baseAddress);
        await OperationAsync(http, "CreateCart", new { input = new { tenantId = Tenant, cartId = "cart-1", currency = "USD" } });
        await OperationAsync(http, "AddItemToCart", new { input = AddInput("SKU-1") });
        await OperationAsync(http, "Cart", new { tenantId = Tenant, cartId = "cart-1", atLeastVersion = 2 });
        await OperationAsync(http, "CartHistory", new { tenantId = Tenant, cartId = "cart-1" }, named: false);

        await using var socket = await Bearer.SocketFor(baseAddress, Tenant);
        await socket.SendAsync(new
        {
            id = "1", type = "subscribe",
            payload = new { query = Operations.Document("CartChanged"), operationName = "CartChanged", variables = new { tenantId = Tenant, cartId = "cart-1" } },
        });
        await Task.Delay(500); // NOTE: nothing tells a client when its subscription is live (see Subscriber)
        await OperationAsync(http, "AddItemToCart", new { input = AddInput("SKU-2") });
        Assert.Equal("next", (await socket.ReceiveAsync()).GetProperty("type").GetString());

        // A conflict in the store: another writer appends behind the command handler's cached state, which the next
        // mutation then appends on. (A stale expectedVersion is refused before any append, so is no store conflict.)
        var stale = await OperationAsync(http, "AddItemToCart", new { input = AddInput("SKU-3", expectedVersion: 1) });
        Assert.Equal("CONCURRENCY_CONFLICT", (string?)stale["data"]!["addItemToCart"]!["errors"]![0]!["code"]);
        await AppendBehindTheCacheAsync();
        await OperationAsync(http, "AddItemToCart", new { input = AddInput("SKU-4") });

        var port = baseAddress.Port;
        var requests = await SpansUntilAsync(s => s.Source.Name == "Microsoft.AspNetCore" && Tag(s, "server.port") == port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var graphql = await SpansUntilAsync(s => s.Source.Name == "CartGraph.GraphQL" && (requests.Any(r => r.SpanId == s.ParentSpanId) || Tag(s, "graphql.operation.type") == "subscription"));
        Assert.Contains(graphql, s => s.DisplayName == "graphql mutation AddItemToCart");
        Assert.Contains(graphql, s => s.DisplayName == "graphql query Cart");
        Assert.Contains(graphql, s => s.DisplayName == "graphql query CartHistory"); // its document's only operation
        Assert.Contains(graphql, s => s.DisplayName == "graphql subscription CartChanged");
        await SpansUntilAsync(s => s.Source.Name == "Npgsql" && s.Tags.Any(t => t.Value == database.Name));
        await SpansUntilAsync(s => s.DisplayName == "eventstore.append" && Tag(s, "cartgraph.tenant") == Tenant);
        await SpansUntilAsync(s => s.DisplayName == "projection.batch" && Tag(s, "cartgraph.tenant") == Tenant);
        // A cart with an event its projection cannot apply: parked, and counted by the parked gauge.
        await OperationAsync(http, "CreateCart", new { input = new { tenantId = Tenant, cartId = "cart-bad", currency = "USD" } });
        await ForeignWriter.AppendMalformedItemAsync(database.ConnectionString, Tenant, "cart-bad");
        await Integration.Eventually.Until(() => Task.FromResult(app.Services.GetRequiredService<Infrastructure.Projections.ProcessorStatus>()
            .Processors.Any(p => p.Tenant == Tenant && p.Parked == 1)), parked => parked);

        // Flushed while the socket and its subscription are open, so the gauges count them.
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var seen = metrics.Snapshot().GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.SelectMany(m => m.MetricPoints).ToList());
        foreach (var name in (string[])["cartgraph.store.appends", "cartgraph.store.append_conflicts", "cartgraph.notifications.sent", "cartgraph.notifications.received"])
            Assert.True(seen.TryGetValue(name, out var points) && points.Sum(p => p.GetSumLong()) > 0, $"{name}: {Describe(seen, name)}");
        Assert.True(seen.TryGetValue("cartgraph.store.append.duration", out var durations) && durations.Sum(p => p.GetHistogramCount()) > 0,
            $"cartgraph.store.append.duration: {Describe(seen, "cartgraph.store.append.duration")}");
        Assert.True(seen.TryGetValue("cartgraph.projection.lag.events", out var lags) && lags.Any(p => TagOf(p, "cartgraph.tenant") == Tenant),
            $"cartgraph.projection.lag.events for {Tenant}: {Describe(seen, "cartgraph.projection.lag.events")}");
        Assert.True(seen.TryGetValue("cartgraph.projection.parked", out var parked) && parked.Any(p => TagOf(p, "cartgraph.tenant") == Tenant && p.GetGaugeLastValueLong() == 1),
            $"cartgraph.projection.parked for {Tenant}: {Describe(seen, "cartgraph.projection.parked")}");
        foreach (var gauge in (string[])["cartgraph.websocket.connections", "cartgraph.subscriptions"])
            Assert.True(seen.TryGetValue(gauge, out var points) && points.Any(p => p.GetGaugeLastValueLong() >= 1), $"{gauge}: {Describe(seen, gauge)}");
    }

    private static object AddInput(string sku, long? expectedVersion = null) =>
        new { tenantId = Tenant, cartId = "cart-1", item = new { sku, name = $"Item {sku}", quantity = 1, unitPrice = 1m }, expectedVersion };

    /// <summary>Sends an operation of Api/Operations, with its name as clients that name their operations do, or without.</summary>
    private static async Task<JsonNode> OperationAsync(HttpClient http, string name, object variables, bool named = true)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query = Operations.Document(name), operationName = named ? name : null, variables });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode && body["errors"] is null, $"{name}: {(int)response.StatusCode} {body.ToJsonString()}");
        return body;
    }

    private async Task AppendBehindTheCacheAsync()
    {
        var added = new CartEvent.ItemAddedToCart(new CartItem("SKU-X", "Item SKU-X", 1, 1m));
        var appended = await app.Services.GetRequiredService<EventStore>().AppendAsync(TenantId.Parse(Tenant), "cart-1", Cart.StreamType,
            [new NewMessage(CartEventJson.TypeOf(added), CartEventJson.Serialize(added))], ExpectedVersion.Any);
        Assert.True(appended.IsRight, $"The other writer's append failed: {appended}");
    }

    /// <summary>The spans matching <paramref name="wanted"/>, once there is one (they end on other threads, some later).</summary>
    private async Task<IReadOnlyList<Activity>> SpansUntilAsync(Func<Activity, bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = spans.Snapshot().Where(wanted).ToList();
            if (found.Count > 0) return found;
            Assert.True(DateTime.UtcNow < deadline, "No such span among: "
                + string.Join(", ", spans.Snapshot().Select(s => $"{s.Source.Name}:{s.DisplayName}").Distinct().Order()));
            await Task.Delay(50);
        }
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key)?.ToString();

    private static string? TagOf(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return tag.Value?.ToString();
        return null;
    }

    private static string Describe(Dictionary<string, List<MetricPoint>> seen, string name) =>
        seen.TryGetValue(name, out var points) ? $"{points.Count} point(s)" : "not exported; exported: " + string.Join(", ", seen.Keys.Order());

    public async Task InitializeAsync()
    {
        app = await CartGraphApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--environment", "Development"], builder =>
        {
            builder.Configuration["ConnectionStrings:EventStore"] = database.ConnectionString;
            builder.Configuration["Auth:SigningKey"] = TestTokens.SigningKey;
            builder.Configuration["Telemetry:Enabled"] = "true";
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        });
        await app.StartAsync();
        baseAddress = new Uri(CartGraphApp.Addresses(app)[0]);
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>What an exporter hands over, from any thread, read while it still writes.</summary>
    private sealed class Recorded<T> : ICollection<T>
    {
        private readonly List<T> items = [];

        public int Count { get { lock (items) return items.Count; } }

        public bool IsReadOnly => false;

        public IReadOnlyList<T> Snapshot() { lock (items) return [.. items]; }

        public void Add(T item) { lock (items) items.Add(item); }

        public void Clear() { lock (items) items.Clear(); }

        public bool Contains(T item) { lock (items) return items.Contains(item); }

        public void CopyTo(T[] array, int arrayIndex) { lock (items) items.CopyTo(array, arrayIndex); }

        public bool Remove(T item) { lock (items) return items.Remove(item); }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
