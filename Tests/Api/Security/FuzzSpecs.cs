using System.Diagnostics;
using System.Text.Json.Nodes;
using CartGraph.Tests.Api.EndToEnd;
using Xunit.Abstractions;
using static CartGraph.Tests.Api.Security.RequestFuzzer;

namespace CartGraph.Tests.Api.Security;

/// <summary>
/// Thousands of random and mutated requests with a valid token: none is answered 5xx or shows the server's insides,
/// none writes, and the service answers normally afterwards. Replay a run with CARTGRAPH_FUZZ_SEED=&lt;seed&gt;.
/// </summary>
public sealed class FuzzSpecs(ApiServer api, ITestOutputHelper output) : IClassFixture<ApiServer>
{
    private const int Requests = 3_000;

    /// <summary>Fixed, so every run sends the same requests; set CARTGRAPH_FUZZ_SEED to explore others.</summary>
    private const int DefaultSeed = 20_261_126;

    [Fact]
    public async Task Random_and_mutated_requests_get_no_5xx_leak_nothing_write_nothing_and_leave_the_service_answering()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CARTGRAPH_FUZZ_SEED"), out var given) ? given : DefaultSeed;
        output.WriteLine($"fuzz seed {seed}, {Requests} requests (replay with CARTGRAPH_FUZZ_SEED={seed})");
        var ownCart = await SeedAsync();
        var fuzzer = new RequestFuzzer(new Random(seed));
        var requests = Enumerable.Range(0, Requests).Select(_ => fuzzer.Next()).ToList();
        var before = await StoredRows.OfDatabaseAsync(api.ConnectionString);
        using var http = Bearer.For(api.BaseAddress, Own);
        var clock = Stopwatch.StartNew();

        var outcomes = new FuzzOutcome[requests.Count];
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, cancel) =>
            outcomes[request.Index - 1] = await SendAsync(http, request));

        output.WriteLine($"sent in {clock.Elapsed.TotalSeconds:F1} s; statuses: "
            + string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key?.ToString() ?? "no answer"} x{g.Count()}")));
        output.WriteLine("kinds: " + string.Join(", ", requests.GroupBy(r => r.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));
        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {Requests} requests failed; the first ones:\n"
            + string.Join("\n\n", failures.Take(10).Select(f => $"{f.Failure}\n  request: {f.Request}\n  response: {f.Status} {f.MediaType} {Truncate(f.Body)}")));
        Assert.Equal(before, await StoredRows.OfDatabaseAsync(api.ConnectionString));
        await AnswersNormallyAsync(http, ownCart);
    }

    /// <summary>A cart of the token's tenant to read, and one of a tenant it does not name, which mutations aim at.</summary>
    private async Task<JsonNode> SeedAsync()
    {
        var own = new Shop(api.Http, Own);
        var victim = new Shop(api.Http, Victim);
        await own.Create(OwnCart);
        await victim.Create(OwnCart);
        await victim.Cart(OwnCart, atLeastVersion: 1);
        return (await own.Cart(OwnCart, atLeastVersion: 1))!;
    }

    private async Task<FuzzOutcome> SendAsync(HttpClient http, FuzzedRequest request)
    {
        try
        {
            using var message = request.ToMessage();
            using var response = await http.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var leaks = Leaks.In(body, request.Text, api.ConnectionString);
            var failure = status >= 500 ? $"answered {status}"
                : leaks.Count > 0 ? $"the response shows {string.Join(", ", leaks.Select(l => $"'{l}'"))}"
                : null;
            return new FuzzOutcome(request, status, MediaTypeHeaders.Of(response), body, failure);
        }
        catch (HttpRequestException e) when (request.Kind is "huge body")
        {
            // The server may answer 413 and close before the client has sent everything: the client sees a reset.
            return new FuzzOutcome(request, null, null, e.Message, null);
        }
        catch (Exception e)
        {
            return new FuzzOutcome(request, null, null, "", $"no answer: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>After all that, a query reads the cart exactly as before, and a mutation of the token's tenant is applied.</summary>
    private static async Task AnswersNormallyAsync(HttpClient http, JsonNode ownCart)
    {
        var read = await http.DataOfAsync(Operations.Document("Cart"), new { tenantId = Own, cartId = OwnCart });
        Assert.True(JsonNode.DeepEquals(ownCart, read["cart"]), $"Expected {ownCart.ToJsonString()}, got {read.ToJsonString()}");
        var added = await http.DataOfAsync(Operations.Document("AddItemToCart"),
            new { input = new { tenantId = Own, cartId = OwnCart, item = new { sku = "after-fuzz", name = "After", quantity = 1, unitPrice = 1m } } });
        Assert.Null(added["addItemToCart"]!["errors"]);
        Assert.Equal(2L, (long)added["addItemToCart"]!["version"]!);
    }

    private static string Truncate(string text) => text.Length <= 800 ? text : $"{text[..800]}...";

    [Fact]
    public void The_fuzzer_is_reproducible_from_its_seed()
    {
        static string Run()
        {
            var fuzzer = new RequestFuzzer(new Random(7));
            return string.Join("\n", Enumerable.Range(0, 200).Select(_ => fuzzer.Next().ToString()));
        }

        Assert.Equal(Run(), Run());
    }
}
