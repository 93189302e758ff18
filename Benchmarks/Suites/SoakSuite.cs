using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// Sustained load on the API in a process of its own: 10 000 carts of one tenant, addItemToCart and removeItemFromCart
/// from 16 wrk connections with a cart query every fourth request, minute after minute. It reports the live heap after a
/// full GC once warmed up and at the end, the resident set, and the mutation rate of each minute; then it does it all
/// again, on a fresh tenant and server, under <c>DOTNET_GCHeapHardLimit</c> = 256 MB.
/// </summary>
internal static class SoakSuite
{
    private const int Carts = 10_000;
    private const int Connections = 16;
    private const int QueryEvery = 4;
    private const long LimitedHeap = 256L << 20;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context)
    {
        var wrk = Wrk.Find() ?? throw new InvalidOperationException("The soak needs wrk on the PATH: apt-get install -y wrk");
        var figures = new List<Figure>(await CacheEntryCost.MeasureAsync(context));
        figures.AddRange(await SoakAsync(context, wrk, "soak", heapLimit: null));
        figures.AddRange(await SoakAsync(context, wrk, "soak_256mb", heapLimit: LimitedHeap));
        return figures;
    }

    private static async Task<IReadOnlyList<Figure>> SoakAsync(BenchContext context, string wrk, string key, long? heapLimit)
    {
        var tenant = $"soak-{Guid.NewGuid():N}"[..20];
        var token = BenchAuth.TokenFor(tenant);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__EventStore"] = context.ConnectionString,
            ["Auth__SigningKey"] = BenchAuth.SigningKey,
            // The soak measures memory and throughput, not the per-tenant rate limit, which would cap one tenant first.
            ["Limits__MutationsPerSecondPerTenant"] = "1000000",
            ["Limits__MutationBurstPerTenant"] = "1000000",
        };
        if (heapLimit is { } limit) environment["DOTNET_GCHeapHardLimit"] = $"0x{limit:X}";
        var conditions = heapLimit is { } l ? $"DOTNET_GCHeapHardLimit={l >> 20}MB" : "no heap limit";
        Progress.Say($"  soak, {conditions}: starting the API in its own process ...");
        await using var server = await ApiServerProcess.StartAsync(environment);
        var graphql = new Uri(server.BaseAddress, "/graphql");
        await SeedAsync(graphql, token, tenant);

        var script = SoakScript.For(tenant, token, Carts, QueryEvery);
        Progress.Say($"  soak, {conditions}: warm-up, wrk with {Connections} connections ...");
        await Wrk.WarmUpAsync(wrk, graphql, script, Connections);
        await UntilEveryCartHoldsItsLinesAsync(context, wrk, graphql, script, tenant);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the projection catches up, the server is idle
        var heapStart = await LiveHeap.MeasureAsync(server.Id);
        var rssStart = server.ResidentBytes;
        var appended = await AppendedAsync(context, tenant);
        var startedWith = appended;
        var rates = new List<double>();
        Progress.Say($"  soak, {conditions}: {context.Minutes} minute(s), live heap {Mb(heapStart):0.0} MB ...");
        var run = await Wrk.StartAsync(wrk, graphql, script, Connections, TimeSpan.FromMinutes(context.Minutes + 1));
        var clock = Stopwatch.StartNew();
        for (var minute = 1; minute <= context.Minutes && !server.HasExited; minute++)
        {
            var sampledAt = clock.Elapsed;
            if (minute * Minute - clock.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait);
            var now = await AppendedAsync(context, tenant);
            rates.Add((now - appended) / (clock.Elapsed - sampledAt).TotalSeconds);
            appended = now;
            Progress.Say($"    minute {minute}: {rates[^1]:N0} mutations/s, RSS {server.ResidentBytes >> 20} MB");
        }
        long requests = 0, errors = 0;
        try
        {
            var result = await run.StopAsync();
            (requests, errors) = (result.Requests, result.Errors);
        }
        catch (InvalidOperationException e) when (server.HasExited)
        {
            Progress.Say($"    the server exited with {server.ExitCode}: {e.Message}");
        }
        finally
        {
            await run.DisposeAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var exited = server.HasExited;
        var heapEnd = exited ? double.NaN : await LiveHeap.MeasureAsync(server.Id);
        var rss = exited ? double.NaN : server.ResidentBytes;
        var mutations = appended - startedWith;
        var first = rates.Count > 0 ? rates[0] : double.NaN;
        var last = rates.Count > 0 ? rates[^1] : double.NaN;
        foreach (var line in server.Output.Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal)).TakeLast(5))
            Progress.Say($"    server: {line}");
        Progress.Say($"  soak, {conditions}: {mutations:N0} mutations, live heap {Mb(heapStart):0.0} -> {Mb(heapEnd):0.0} MB, " +
                     $"{server.OutOfMemoryReports} OutOfMemoryException report(s), {(exited ? $"exited with {server.ExitCode}" : "still serving")}");
        return
        [
            new($"{key}_minutes", $"{conditions}: minutes measured", rates.Count, "min", "after warm-up"),
            new($"{key}_mutations", $"{conditions}: mutations appended", mutations, "events",
                $"{requests:N0} requests from wrk (1 in {QueryEvery} a cart query), {errors} non-2xx"),
            new($"{key}_live_heap_mb_start", $"{conditions}: live heap once warmed up", Mb(heapStart), "MB", "after a full GC"),
            new($"{key}_live_heap_mb_end", $"{conditions}: live heap at the end", Mb(heapEnd), "MB", "after a full GC"),
            new($"{key}_rss_mb_start", $"{conditions}: resident set once warmed up", Mb(rssStart), "MB"),
            new($"{key}_rss_mb_end", $"{conditions}: resident set at the end", Mb(rss), "MB"),
            new($"{key}_rate_first_minute", $"{conditions}: mutation rate, first minute", first, "mut/s"),
            new($"{key}_rate_last_minute", $"{conditions}: mutation rate, last minute", last, "mut/s",
                $"{100 * last / first:0.0} % of the first; each minute: {string.Join(" ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}"),
            new($"{key}_out_of_memory", $"{conditions}: OutOfMemoryException reports", server.OutOfMemoryReports, "lines",
                exited ? $"exited with {server.ExitCode}" : "still serving"),
        ];
    }

    private static double Mb(double bytes) => bytes / (1 << 20);

    /// <summary>Every cart created, 16 at a time, before the load starts.</summary>
    private static async Task SeedAsync(Uri graphql, string token, string tenant)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections });
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var progress = new Progress($"createCart x {Carts:N0}", Carts);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            for (var cart = Interlocked.Increment(ref next); cart < Carts; cart = Interlocked.Increment(ref next))
            {
                using var response = await http.PostAsJsonAsync(graphql, new
                {
                    query = "mutation($i: CreateCartInput!) { createCart(input: $i) { version errors { __typename } } }",
                    variables = new { i = new { tenantId = tenant, cartId = SoakScript.CartId(cart), currency = "USD" } },
                });
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (body["data"]?["createCart"]?["version"] is null) throw new InvalidOperationException($"createCart failed: {body.ToJsonString()}");
                progress.Advance();
            }
        })));
    }

    /// <summary>
    /// The data's warm-up: the load goes on until every cart holds its 5 lines in the read model (and so in both caches),
    /// so that what the soak measures is the steady state, not carts still growing.
    /// </summary>
    private static async Task UntilEveryCartHoldsItsLinesAsync(BenchContext context, string wrk, Uri graphql, string script, string tenant)
    {
        await using var run = await Wrk.StartAsync(wrk, graphql, script, Connections, TimeSpan.FromMinutes(30));
        await using var command = context.Database.Commands.CreateCommand(
            "SELECT count(*) FROM carts WHERE tenant_id = $1 AND jsonb_array_length(items_json -> 'items') < $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = tenant });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = SoakScript.Lines });
        var deadline = DateTime.UtcNow.AddMinutes(30);
        for (var growing = -1L; growing != 0 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            growing = (long)(await command.ExecuteScalarAsync())!;
            Progress.Say($"    warm-up: {growing:N0} cart(s) with fewer than {SoakScript.Lines} lines");
        }
        await run.StopAsync();
    }

    /// <summary>Events of the tenant's carts: each cart's stream position is how many it holds.</summary>
    private static async Task<long> AppendedAsync(BenchContext context, string tenant)
    {
        await using var command = context.Database.Commands.CreateCommand(
            "SELECT coalesce(sum(stream_position), 0)::bigint FROM emt_streams WHERE partition = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = tenant });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
