using System.Collections.Concurrent;
using CartGraph.Api.Transport;

namespace CartGraph.Api.Security;

/// <summary>
/// Caps open WebSocket connections per tenant on this instance: a connection counts against every tenant its
/// token names, and is refused (close 1013) when any of them is at the cap.
/// </summary>
public sealed class TenantConnectionLimiter(ApiLimits limits, TenantAccess access) : IGraphQLConnectionObserver
{
    private readonly ConcurrentDictionary<string, int> open = new();
    private readonly Lock gate = new();

    private int total;

    /// <summary>Connections open on this instance, whatever their tenants.</summary>
    public int Open => Volatile.Read(ref total);

    public ValueTask<bool> OnOpenedAsync(GraphQLConnectionInfo connection, CancellationToken cancel)
    {
        var tenants = access.Tenants(connection.User);
        lock (gate)
        {
            if (tenants.Any(t => open.GetValueOrDefault(t) >= limits.MaxConnectionsPerTenant)) return ValueTask.FromResult(false);
            foreach (var tenant in tenants) open.AddOrUpdate(tenant, 1, (_, n) => n + 1);
            total++;
        }
        return ValueTask.FromResult(true);
    }

    public ValueTask OnClosedAsync(GraphQLConnectionInfo connection)
    {
        lock (gate)
        {
            foreach (var tenant in access.Tenants(connection.User))
                if (open.AddOrUpdate(tenant, 0, (_, n) => n - 1) <= 0) open.TryRemove(tenant, out _);
            total--;
        }
        return ValueTask.CompletedTask;
    }
}
