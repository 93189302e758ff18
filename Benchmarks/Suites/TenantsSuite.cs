using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CartGraph.Api.GraphQL.Mutations;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using Npgsql;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// What a tenant costs when there are many, in one run: the API in a process of its own with 1 tenant, then with N
/// (one cart each): idle CPU of the API and of PostgreSQL over 10 s, sequential addItemToCart p50/p99 for one tenant,
/// the onboarding of new tenants while 16 clients write, the time until every tenant's first cart is projected, and
/// PostgreSQL's memory.
/// </summary>
internal static class TenantsSuite
{
    private const int Writers = 16;
    private const int Mutations = 200;
    private const int Batch = 25;
    private const int Lanes = 3;
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    private const string AddItem = """
        mutation($input: AddItemToCartInput!) { addItemToCart(input: $input) { version errors { __typename } } }
        """;

    private static TenantId Tenant(int i) => TenantId.Parse($"bench-n-{i:00000}");

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context)
    {
        var n = Math.Max(context.TenantCount, Writers + 1);
        var postgres = () => ProcessCpu.PostgresProcessesAsync(context.Database.Dedicated);
        await OnboardAsync(context, 0, 1, "1 tenant");
        await using var server = await ApiServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__EventStore"] = context.ConnectionString,
            ["Auth__SigningKey"] = BenchAuth.SigningKey,
            ["Limits__MutationsPerSecondPerTenant"] = "1000000",
            ["Limits__MutationBurstPerTenant"] = "1000000",
        });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Writers * 2 }) { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", BenchAuth.TokenFor([.. Enumerable.Range(0, Writers + 1).Select(i => Tenant(i).Value)]));
        var self = () => Task.FromResult<IReadOnlyList<int>>([server.Id]);

        await ProjectedAsync(context, 1);
        await PoolFilledAsync(context);
        await CheckpointAsync(context);
        await MutateAsync(http, 0, 20, new Latencies()); // JIT, prepared statements, the aggregate in cache
        Progress.Say($"  idle, 1 tenant: {IdleWindow.TotalSeconds:0} s, {Settle.TotalSeconds:0} s after the last write ...");
        var (idleApi1, idlePg1) = await IdleAsync(self, postgres);
        var one = new Latencies();
        await MutateAsync(http, 0, Mutations, one);

        var appended = await OnboardAsync(context, 1, n, $"{n:N0} tenants");
        var projected = await ProjectedAsync(context, n);
        var projectedSeconds = (projected - appended).TotalSeconds;
        Progress.Say($"  every tenant's first cart projected {projectedSeconds:0.0} s after the last was appended");
        await PoolFilledAsync(context);
        await CheckpointAsync(context);
        Progress.Say($"  idle, {n:N0} tenants: {IdleWindow.TotalSeconds:0} s, {Settle.TotalSeconds:0} s after the last write ...");
        var (idleApiN, idlePgN) = await IdleAsync(self, postgres);
        var many = new Latencies();
        await MutateAsync(http, 0, Mutations, many);
        var onboarding = await OnboardWhileWritingAsync(context, http, n, Math.Clamp(n / 20, 20, 100));
        var rss = ProcessCpu.ResidentMegabytes(await postgres());

        return
        [
            new("tenants_n", "tenants", n, "", "one cart each"),
            new("idle_cpu_pct_1", "idle CPU, API + PostgreSQL, 1 tenant", idleApi1 + idlePg1, "% of a core", $"API {idleApi1:0.0} %, PostgreSQL {idlePg1:0.0} %, over {IdleWindow.TotalSeconds:0} s"),
            new("idle_cpu_pct_n", $"idle CPU, API + PostgreSQL, {n:N0} tenants", idleApiN + idlePgN, "% of a core", $"API {idleApiN:0.0} %, PostgreSQL {idlePgN:0.0} %"),
            new("idle_cpu_api_pct_n", $"idle CPU, API, {n:N0} tenants", idleApiN, "% of a core"),
            new("idle_cpu_pg_pct_n", $"idle CPU, PostgreSQL, {n:N0} tenants", idlePgN, "% of a core"),
            new("mutation_p50_ms_1", "addItemToCart p50, 1 tenant", one.Percentile(50), "ms", $"{Mutations} sequential, through the API"),
            new("mutation_p99_ms_1", "addItemToCart p99, 1 tenant", one.Percentile(99), "ms"),
            new("mutation_p50_ms_n", $"addItemToCart p50, {n:N0} tenants", many.Percentile(50), "ms", $"ratio to 1 tenant {many.Percentile(50) / one.Percentile(50):0.00}"),
            new("mutation_p99_ms_n", $"addItemToCart p99, {n:N0} tenants", many.Percentile(99), "ms"),
            new("onboarding_p50_ms_n", $"onboarding a tenant while {Writers} clients write, p50", onboarding.Percentile(50), "ms", $"{onboarding.Count} tenants, one after the other"),
            new("onboarding_p99_ms_n", $"onboarding a tenant while {Writers} clients write, p99", onboarding.Percentile(99), "ms"),
            new("projected_all_s_n", "every tenant's first cart projected", projectedSeconds, "s", "after the last append"),
            new("pg_rss_mb_n", $"PostgreSQL resident set, sum of its processes, {n:N0} tenants", rss, "MB", "shared buffers count in each process that touched them"),
        ];
    }

    /// <summary>
    /// Tenants [from, to) with one cart each, as setup: on <see cref="Lanes"/> sessions at once, each onboarding the
    /// tenants of its own hash buckets (so that no two wait for each other's bucket lock), <see cref="Batch"/> per
    /// transaction through emt_add_partition, then their first carts, 4 appends at a time per session. Returns when the
    /// last cart was appended. The onboarding that is measured is <see cref="OnboardWhileWritingAsync"/>'s, one at a time.
    /// </summary>
    private static async Task<DateTime> OnboardAsync(BenchContext context, int from, int to, string label)
    {
        var lanes = await LanesAsync(context, Enumerable.Range(from, to - from).Select(Tenant).ToArray());
        using var progress = new Progress($"onboarding {label}, {lanes.Length} sessions, {Batch} per transaction, one cart each", to - from);
        await Task.WhenAll(lanes.Select(lane => Task.Run(async () =>
        {
            await using var connection = await context.Database.Dedicated.OpenConnectionAsync();
            foreach (var batch in lane.Chunk(Batch))
            {
                await using (var add = new NpgsqlCommand("SELECT emt_add_partition(t) FROM unnest($1::text[]) t", connection) { CommandTimeout = 0 })
                {
                    add.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(t => t.Value)] });
                    await add.ExecuteNonQueryAsync();
                }
                await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (tenant, ct) =>
                {
                    var result = await context.Store.AppendAsync(tenant, "first", CartGraph.Domain.Carts.Cart.StreamType,
                        SampleEvents.Cart()[..1], ExpectedVersion.NoStream, cancellationToken: ct);
                    result.IfLeft(e => throw new InvalidOperationException($"{tenant}: {e}"));
                    progress.Advance();
                });
            }
        })));
        return DateTime.UtcNow;
    }

    /// <summary>The tenants split by their bucket of emt_messages (migration 0011) into one lane per session.</summary>
    private static async Task<TenantId[][]> LanesAsync(BenchContext context, TenantId[] tenants)
    {
        await using var command = context.Database.Commands.CreateCommand(
            "SELECT t, right(cartgraph_bucket_of('emt_messages', t), 2)::int FROM unnest($1::text[]) t");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tenants.Select(t => t.Value)] });
        await using var reader = await command.ExecuteReaderAsync();
        var buckets = new List<(TenantId Tenant, int Bucket)>();
        while (await reader.ReadAsync()) buckets.Add((TenantId.Parse(reader.GetString(0)), reader.GetInt32(1)));
        return [.. buckets.GroupBy(b => b.Bucket % Lanes).Select(lane => lane.Select(b => b.Tenant).ToArray())];
    }

    /// <summary>
    /// Waits until the API has filled its pool of tables staged ahead of the tenants (migration 0014): at its start and
    /// after a setup that took sets, that is work of its own, not the idle cost. Its size is the API's default, or the
    /// <c>Tenants__PartitionPool__Size</c> this process passes on to it.
    /// </summary>
    private static async Task PoolFilledAsync(BenchContext context)
    {
        var size = int.TryParse(Environment.GetEnvironmentVariable("Tenants__PartitionPool__Size"), out var configured)
            ? configured : new PartitionPoolOptions().Size;
        var pool = new PartitionPool(context.Database);
        for (var waited = 0; waited < 600 && await pool.CountAsync() < size; waited++) await Task.Delay(200);
        Progress.Say($"  tables staged ahead: {await pool.CountAsync()} sets");
    }

    /// <summary>
    /// Writes the setup's pages out before anything is measured: onboarding thousands of tenants creates about 25 files
    /// each, and the checkpoint that syncs them (117 000 files, 134 s in a run at 10 000) would otherwise fall in the
    /// idle and onboarding measurements. Skipped, with a word, where the benchmark's role may not checkpoint.
    /// </summary>
    private static async Task CheckpointAsync(BenchContext context)
    {
        Progress.Say("  checkpoint after the setup ...");
        await using var command = context.Database.Commands.CreateCommand("CHECKPOINT");
        command.CommandTimeout = 0;
        try { await command.ExecuteNonQueryAsync(); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege) { Progress.Say($"  no checkpoint: {e.MessageText}"); }
    }

    /// <summary>Waits until the read model holds a cart of every one of the first <paramref name="count"/> tenants.</summary>
    private static async Task<DateTime> ProjectedAsync(BenchContext context, int count)
    {
        using var progress = new Progress("tenants whose first cart is projected", count);
        var seen = 0L;
        while (seen < count)
        {
            await Task.Delay(250);
            await using var command = context.Database.Commands.CreateCommand(
                "SELECT count(DISTINCT tenant_id) FROM carts WHERE cart_id = 'first' AND tenant_id LIKE 'bench-n-%'");
            var now = (long)(await command.ExecuteScalarAsync())!;
            progress.Advance(now - seen);
            seen = now;
        }
        return DateTime.UtcNow;
    }

    /// <summary>
    /// CPU of the API and of PostgreSQL over <see cref="IdleWindow"/>, which begins <see cref="Settle"/> after the last
    /// write: what follows a write for a while is that write's cost, not the idle one. PostgreSQL publishes a session's
    /// statistics up to 10 s after its last transaction (PGSTAT_IDLE_INTERVAL), and the sweep answers the writes it
    /// learns of then (the setup's, the pool's last sets'); the runtime's tiered compilation goes on for a while after
    /// the first requests. Measured at once after the 10 000-tenant setup, the window found 6.7 % of a core; 15 s on,
    /// about 1 %.
    /// </summary>
    private static async Task<(double Api, double Postgres)> IdleAsync(Func<Task<IReadOnlyList<int>>> api, Func<Task<IReadOnlyList<int>>> postgres)
    {
        await Task.Delay(Settle);
        var measured = await Task.WhenAll(ProcessCpu.IdlePercentAsync(api, IdleWindow), ProcessCpu.IdlePercentAsync(postgres, IdleWindow));
        return (measured[0], measured[1]);
    }

    /// <summary>addItemToCart to the tenant's first cart, one after the other.</summary>
    private static async Task MutateAsync(HttpClient http, int tenant, int count, Latencies latencies, CancellationToken ct = default)
    {
        for (var i = 0; i < count && !ct.IsCancellationRequested; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync("/graphql", new
            {
                query = AddItem,
                variables = new
                {
                    input = new
                    {
                        tenantId = Tenant(tenant).Value, cartId = "first",
                        item = new { sku = $"SKU-{i % 5}", name = $"Item {i % 5}", quantity = 1, unitPrice = 9.99m },
                    },
                },
            }, CancellationToken.None);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(started));
            if (body?["data"]?["addItemToCart"]?["version"] is null) throw new InvalidOperationException($"addItemToCart failed: {body?.ToJsonString()}");
        }
    }

    /// <summary>New tenants onboarded one after the other (their first append's provisioning) while 16 clients write to 16 others.</summary>
    private static async Task<Latencies> OnboardWhileWritingAsync(BenchContext context, HttpClient http, int n, int count)
    {
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(1, Writers).Select(t => Task.Run(() => MutateAsync(http, t, int.MaxValue, new Latencies(), stop.Token))).ToArray();
        var latencies = new Latencies();
        using (var progress = new Progress($"onboarding while {Writers} clients write", count))
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await context.Tenants.ProvisionAsync(Tenant(n + i));
                latencies.Add(Stopwatch.GetElapsedTime(started));
                progress.Advance();
            }
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        return latencies;
    }
}
