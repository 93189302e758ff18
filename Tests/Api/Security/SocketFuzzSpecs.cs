using System.Text;
using System.Text.Json;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Transport;
using Xunit.Abstractions;
using static CartGraph.Tests.Api.Security.RequestFuzzer;

namespace CartGraph.Tests.Api.Security;

/// <summary>
/// The fuzzer's requests as graphql-transport-ws messages, and broken messages, over sockets with a valid token: the
/// server may close a socket for what it was sent, never as an internal error, shows nothing of its insides, writes
/// nothing, and answers normally afterwards.
/// </summary>
public sealed class SocketFuzzSpecs(ApiServer api, ITestOutputHelper output) : IClassFixture<ApiServer>
{
    private const int Messages = 600;
    private const int DefaultSeed = 20_261_127;

    /// <summary>Closes that blame the server rather than what the client sent.</summary>
    private static readonly int[] ServerFailures = [1011, 4500];

    [Fact]
    public async Task Random_and_broken_messages_never_fail_the_server_leak_nothing_nor_write()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CARTGRAPH_FUZZ_SEED"), out var given) ? given : DefaultSeed;
        output.WriteLine($"socket fuzz seed {seed}, {Messages} messages (replay with CARTGRAPH_FUZZ_SEED={seed})");
        var own = new Shop(api.Http, Own);
        await own.Create(OwnCart);
        await new Shop(api.Http, Victim).Create(OwnCart);
        var ownCart = await own.Cart(OwnCart, atLeastVersion: 1);
        await new Shop(api.Http, Victim).Cart(OwnCart, atLeastVersion: 1);
        var random = new Random(seed);
        var fuzzer = new RequestFuzzer(random);
        var before = await StoredRows.OfDatabaseAsync(api.ConnectionString);

        var failures = new List<string>();
        var closes = new Dictionary<int, int>();
        var socket = await Bearer.SocketFor(api.BaseAddress, Own);
        for (var i = 0; i < Messages && failures.Count < 10; i++)
        {
            var message = Message(random, fuzzer, i);
            try
            {
                await socket.SendTextAsync(message);
                await socket.SendAsync(new { type = "ping", payload = new { after = i } });
                while (true)
                {
                    var (received, closed) = await socket.ReceiveMessageOrCloseAsync();
                    if (closed is { Status: var closeStatus, Reason: var reason })
                    {
                        var status = (int)closeStatus!;
                        closes[status] = closes.GetValueOrDefault(status) + 1;
                        if (ServerFailures.Contains(status) || Leaks.In(reason ?? "", message, api.ConnectionString).Count > 0)
                            failures.Add($"closed {status} {reason} after #{i}: {Preview(message)}");
                        await socket.DisposeAsync();
                        socket = await Bearer.SocketFor(api.BaseAddress, Own);
                        break;
                    }
                    var text = received!.Value.GetRawText();
                    if (text.Contains("INTERNAL_ERROR", StringComparison.Ordinal) || Leaks.In(text, message, api.ConnectionString) is { Count: > 0 })
                        failures.Add($"answered {Preview(text)} to #{i}: {Preview(message)}");
                    if (received.Value.GetProperty("type").GetString() == "pong") break;
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures.Add($"{e.GetType().Name}: {e.Message} after #{i}: {Preview(message)}");
                await socket.DisposeAsync();
                socket = await Bearer.SocketFor(api.BaseAddress, Own);
            }
        }
        await socket.CloseAsync();
        await socket.DisposeAsync();

        output.WriteLine("closes: " + string.Join(", ", closes.OrderBy(c => c.Key).Select(c => $"{c.Key} x{c.Value}")));
        Assert.True(failures.Count == 0, $"seed {seed}:\n{string.Join("\n", failures)}");
        Assert.Equal(before, await StoredRows.OfDatabaseAsync(api.ConnectionString));
        await using var after = await Bearer.SocketFor(api.BaseAddress, Own);
        await after.SubscribeAsync("after", Operations.Document("Cart"), new { tenantId = Own, cartId = OwnCart });
        var next = JsonDocument.Parse((await after.ReceiveAsync()).GetRawText()).RootElement;
        Assert.Equal(ownCart!.ToJsonString(), next.GetProperty("payload").GetProperty("data").GetProperty("cart").GetRawText());
    }

    /// <summary>A subscribe carrying a fuzzed request's body, or a message broken in some other way.</summary>
    private static string Message(Random random, RequestFuzzer fuzzer, int i)
    {
        var request = fuzzer.Next();
        var body = request.Body is { } bytes ? Encoding.UTF8.GetString(bytes) : request.PathAndQuery;
        var id = JsonSerializer.Serialize(random.Next(8) == 0 ? "dup" : $"op-{i}");
        return random.Next(12) switch
        {
            0 => body,
            1 => $$"""{"type": "subscribe", "payload": {{body}}}""",
            2 => $$$"""{"id": {{{Pick(random, "1", "null", "{}", "\"\"", JsonSerializer.Serialize(new string('x', 5_000)))}}}, "type": "subscribe", "payload": {"query": "{ __typename }"}}""",
            3 => $$"""{"type": {{Pick(random, "\"connection_init\"", "\"next\"", "\"error\"", "\"complete\"", "\"pong\"", "\"PING\"", "1", "null")}}, "id": {{id}}, "payload": {{Pick(random, "{}", "[]", "1", "null", body)}}}""",
            4 => $$"""{"id": {{id}}, "type": "complete"}""",
            _ => $$"""{"id": {{id}}, "type": "subscribe", "payload": {{body}}}""",
        };
    }

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    private static string Preview(string text) => text.Length <= 300 ? text : $"{text[..300]}... ({text.Length} in all)";
}
