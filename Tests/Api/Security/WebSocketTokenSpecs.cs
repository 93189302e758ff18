using CartGraph.Tests.Api.Transport;

namespace CartGraph.Tests.Api.Security;

/// <summary>A socket goes on only with a valid bearer token in its connection_init payload; otherwise it is closed 4403.</summary>
public sealed class WebSocketTokenSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private const string Tenant = "sec-socket";

    public static TheoryData<string> BadTokens => new(ForgedTokens.Kinds);

    public static TheoryData<string> PayloadsWithoutToken => new("no payload", "empty payload", "authorization not a string", "token under another key");

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_connection_init_with_a_bad_token_closes_the_socket_4403(string kind) =>
        Assert.Equal(4403, await CloseAfterInitAsync(new { type = "connection_init", payload = new { authorization = ForgedTokens.Authorization(kind, Tenant) } }));

    [Theory]
    [MemberData(nameof(PayloadsWithoutToken))]
    public async Task A_connection_init_without_a_token_closes_the_socket_4403(string payload) =>
        Assert.Equal(4403, await CloseAfterInitAsync(payload switch
        {
            "no payload" => new { type = "connection_init" },
            "empty payload" => new { type = "connection_init", payload = new { } },
            "authorization not a string" => new { type = "connection_init", payload = new { authorization = new[] { Bearer.Header(Tenant) } } },
            "token under another key" => (object)new { type = "connection_init", payload = new { token = Bearer.Header(Tenant) } },
            _ => throw new ArgumentOutOfRangeException(nameof(payload), payload, null),
        }));

    [Fact]
    public async Task A_valid_token_in_connection_init_is_acknowledged_and_runs_operations()
    {
        await using var socket = await Bearer.SocketFor(api.BaseAddress, Tenant);

        await socket.SubscribeAsync("1", Operations.Document("Carts"), new { tenantId = Tenant });
        var next = await socket.ReceiveAsync();

        Assert.Equal("next", next.GetProperty("type").GetString());
        Assert.False(next.GetProperty("payload").TryGetProperty("errors", out _), next.GetRawText());
        Assert.Equal(0, next.GetProperty("payload").GetProperty("data").GetProperty("carts").GetProperty("edges").GetArrayLength());
    }

    private async Task<int?> CloseAfterInitAsync(object init)
    {
        await using var socket = await GraphQLSocket.ConnectAsync(api.WebSocket);
        await socket.SendAsync(init);
        var (status, _) = await socket.ReceiveCloseAsync();
        return (int?)status;
    }
}
