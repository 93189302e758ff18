using System.Text.Json.Nodes;
using CartGraph.Tests.Api.Transport;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>
/// A client subscribed to one operation of Api/Operations over a real WebSocket (graphql-transport-ws:
/// connection_init, connection_ack, subscribe). Every receive is bounded, so a silent server fails the spec.
/// </summary>
public sealed class Subscriber : IAsyncDisposable
{
    private const string Id = "1";

    /// <summary>Far above the projection's lag, far below a hung run.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// NOTE: graphql-transport-ws never acknowledges a subscribe, and the server registers it asynchronously, so a change
    /// made at once could land before the subscription starts watching (and be history to it). Nothing observable
    /// tells a client when it is live; a pause far longer than that registration (one read) stands in.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    private readonly GraphQLSocket socket;

    private Subscriber(GraphQLSocket socket) => this.socket = socket;

    /// <param name="tenants">Whom the socket's token names: the tenant of <paramref name="variables"/> when omitted.</param>
    public static async Task<Subscriber> SubscribeAsync(Uri endpoint, string operation, object variables, string[]? tenants = null)
    {
        tenants ??= [System.Text.Json.JsonSerializer.SerializeToNode(variables)!["tenantId"]!.GetValue<string>()];
        var socket = await GraphQLSocket.ConnectAndInitAsync(endpoint, new { authorization = Bearer.Header(tenants) });
        await socket.SubscribeAsync(Id, Operations.Document(operation), variables);
        await Task.Delay(Settle);
        return new Subscriber(socket);
    }

    /// <summary>The value of the next <c>next</c> (the subscription field's data); fails on anything else or on silence.</summary>
    public async Task<JsonNode> NextAsync()
    {
        var message = await ReceiveAsync();
        Assert.True((string?)message["type"] == "next" && (string?)message["id"] == Id, $"Expected a next, got {message.ToJsonString()}");
        Assert.True(message["payload"]?["errors"] is null, $"Expected no errors, got {message.ToJsonString()}");
        return message["payload"]!["data"]!.AsObject().Single().Value!;
    }

    /// <summary>The values of the next <paramref name="count"/> messages, each a <c>next</c>.</summary>
    public async Task<IReadOnlyList<JsonNode>> NextAsync(int count)
    {
        var values = new List<JsonNode>();
        for (var i = 0; i < count; i++) values.Add(await NextAsync());
        return values;
    }

    /// <summary>Values until one satisfies <paramref name="last"/> (included).</summary>
    public async Task<IReadOnlyList<JsonNode>> NextUntilAsync(Func<JsonNode, bool> last)
    {
        var values = new List<JsonNode>();
        while (true)
        {
            values.Add(await NextAsync());
            if (last(values[^1])) return values;
        }
    }

    /// <summary>Fails unless the next message is the server's <c>complete</c> of this subscription.</summary>
    public async Task CompletedAsync()
    {
        var message = await ReceiveAsync();
        Assert.True((string?)message["type"] == "complete" && (string?)message["id"] == Id, $"Expected a complete, got {message.ToJsonString()}");
    }

    private async Task<JsonNode> ReceiveAsync() => JsonNode.Parse((await socket.ReceiveAsync(Patience)).GetRawText())!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await socket.CloseAsync();
        }
        catch (Exception)
        {
            // A failed spec may leave the socket aborted: nothing left to close.
        }
        await socket.DisposeAsync();
    }
}
