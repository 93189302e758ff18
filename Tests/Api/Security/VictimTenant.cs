using CartGraph.Tests.Api.EndToEnd;
using Xunit.Abstractions;

namespace CartGraph.Tests.Api.Security;

/// <summary>
/// A server where the tenant <see cref="Victim"/> has an active cart with items (every command could change it) and a
/// second cart, and where the tenants of the intruders' tokens have carts with the same ids, so that a leak cannot
/// hide behind "not found". The read model has caught up when the specs start: nothing moves but what a spec does.
/// </summary>
public sealed class VictimTenant(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string Victim = "sec-victim";
    public const string Intruder = "sec-intruder";

    /// <summary>Another tenant whose partition name Emmett's rule sanitizes exactly as the victim's (- and _ both become _).</summary>
    public const string LookAlike = "sec_victim";

    public const string CartId = "cart-1";

    /// <summary>In the victim's rows only: a response that holds it has leaked them.</summary>
    public const string Secret = "victim-secret";

    public ApiServer Api { get; } = new(diagnostics);

    public Shop VictimShop => new(Api.Http, Victim);

    /// <summary>Whom an intruder's token names: never the victim.</summary>
    public static readonly string[] Intruders = ["intruder", "no tenant", "look-alike"];

    public static string[] TenantsOf(string intruder) => intruder switch
    {
        "intruder" => [Intruder],
        "no tenant" => [],
        "look-alike" => [LookAlike, Intruder],
        _ => throw new ArgumentOutOfRangeException(nameof(intruder), intruder, null),
    };

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        var victim = VictimShop;
        await victim.Create(CartId);
        await victim.Add(CartId, $"{Secret}-1", 2, name: Secret);
        await victim.Add(CartId, $"{Secret}-2", name: Secret);
        await victim.Create("cart-2");
        await victim.Cart(CartId, atLeastVersion: 3);
        await victim.Cart("cart-2", atLeastVersion: 1);
        foreach (var tenant in new[] { Intruder, LookAlike })
        {
            var shop = new Shop(Api.Http, tenant);
            await shop.Create(CartId);
            await shop.Add(CartId, "own-sku");
            await shop.Cart(CartId, atLeastVersion: 2);
        }
    }

    public Task DisposeAsync() => Api.DisposeAsync();
}
