using System.Text.Json;
using CartGraph.Tests.Api.Transport;
using static CartGraph.Tests.Api.Security.VictimTenant;

namespace CartGraph.Tests.Api.Security;

/// <summary>A token that does not name a tenant watches none of its carts: an <c>error</c> message with code FORBIDDEN, then silence.</summary>
public sealed class SubscriptionIsolationSpecs(VictimTenant fixture) : IClassFixture<VictimTenant>
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var subscription in new[] { "cartChanged", "cartEvents of a cart", "cartEvents of every cart" })
            foreach (var intruder in Intruders)
                cases.Add(subscription, intruder);
            return cases;
        }
    }

    private static (string Operation, object Variables) Subscribe(string subscription) => subscription switch
    {
        "cartChanged" => ("CartChanged", new { tenantId = Victim, cartId = CartId }),
        "cartEvents of a cart" => ("CartEvents", new { tenantId = Victim, cartId = CartId }),
        "cartEvents of every cart" => ("CartEvents", (object)new { tenantId = Victim }),
        _ => throw new ArgumentOutOfRangeException(nameof(subscription), subscription, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_subscription_to_a_tenant_the_token_does_not_name_is_forbidden_and_delivers_nothing(string subscription, string intruder)
    {
        var (operation, variables) = Subscribe(subscription);
        await using var socket = await Bearer.SocketFor(fixture.Api.BaseAddress, TenantsOf(intruder));

        await socket.SubscribeAsync("stolen", Operations.Document(operation), variables);
        var errors = await ErrorsEndingAsync(socket, "stolen");
        var change = await fixture.VictimShop.Add(CartId, "watched");
        await fixture.VictimShop.Cart(CartId, atLeastVersion: (long)change["version"]!);
        await socket.SendAsync(new { type = "ping" });
        var next = await socket.ReceiveAsync();

        var error = Assert.Single(errors);
        Assert.Equal("FORBIDDEN", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.DoesNotContain(Secret, error.GetRawText());
        // The victim's change came and went: had a stream started anyway, its next would have come before the pong.
        Assert.Equal("pong", next.GetProperty("type").GetString());
    }

    /// <summary>
    /// The errors that end an operation, failing on any data. graphql-transport-ws allows two shapes for an operation
    /// refused once execution began: an <c>error</c> message, or (graphql-ws's own server, and this one) a <c>next</c> with
    /// errors and no data followed by <c>complete</c>.
    /// </summary>
    internal static async Task<IReadOnlyList<JsonElement>> ErrorsEndingAsync(GraphQLSocket socket, string id)
    {
        var errors = new List<JsonElement>();
        while (true)
        {
            var message = await socket.ReceiveAsync();
            Assert.True(message.TryGetProperty("id", out var of) && of.GetString() == id, $"Expected a message for {id}, got {message}");
            switch (message.GetProperty("type").GetString())
            {
                case "error":
                    errors.AddRange(message.GetProperty("payload").EnumerateArray());
                    return errors;
                case "next":
                    var payload = message.GetProperty("payload");
                    Assert.True(!payload.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null, $"Expected no data, got {message}");
                    errors.AddRange(payload.GetProperty("errors").EnumerateArray());
                    break;
                case "complete":
                    return errors;
            }
        }
    }
}
