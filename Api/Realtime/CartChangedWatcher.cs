using CartGraph.Api.Carts;
using CartGraph.Domain.Values;

namespace CartGraph.Api.Realtime;

/// <summary><c>cartChanged</c>: pushes the cart's row from the read model whenever its version moves on.</summary>
internal sealed class CartChangedWatcher(CartReads reads, TenantId tenant, string cartId, ILogger logger)
    : CartWatcher(tenant, cartId, logger)
{
    private long lastVersion;

    public override async Task StartAsync(CancellationToken cancellationToken) =>
        lastVersion = (await reads.GetAsync(Tenant, CartId!, cancellationToken))?.Version ?? 0;

    protected override async Task FetchAndPushAsync(Action<object?> push, CancellationToken cancellationToken)
    {
        if (await reads.GetAsync(Tenant, CartId!, cancellationToken) is { } cart && cart.Version > lastVersion)
        {
            lastVersion = cart.Version;
            push(cart);
        }
    }
}
