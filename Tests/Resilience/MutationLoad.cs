using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CartGraph.Tests.Api;

namespace CartGraph.Tests.Resilience;

/// <summary>A mutation the API answered as done: the cart's version it returned, and the sku it added.</summary>
public sealed record Acknowledged(string CartId, long Version, string Sku);

/// <summary>
/// Clients adding items to a set of carts as fast as they are answered, each with a sku of its own, remembering every
/// mutation the API acknowledged. A client stops at its first transport failure: the server is gone.
/// </summary>
public sealed class MutationLoad
{
    private readonly ConcurrentQueue<Acknowledged> acknowledged = new();
    private readonly Task[] clients;

    private MutationLoad(HttpClient http, string tenant, IReadOnlyList<string> carts, int clients) =>
        this.clients = Enumerable.Range(1, clients).Select(client => Task.Run(() => ClientAsync(http, tenant, carts, $"SKU-{client}"))).ToArray();

    public IReadOnlyCollection<Acknowledged> Acknowledgements => acknowledged;

    public static MutationLoad Start(HttpClient http, string tenant, IReadOnlyList<string> carts, int clients) => new(http, tenant, carts, clients);

    /// <summary>Waits until at least <paramref name="count"/> mutations were acknowledged.</summary>
    public async Task AcknowledgedAsync(int count, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (acknowledged.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {acknowledged.Count} mutation(s) acknowledged in {patience.TotalSeconds:0} s");
            Assert.False(clients.All(c => c.IsCompleted), "Every client stopped before the server went away");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for every client to stop, as each does once the server is gone.</summary>
    public async Task StoppedAsync(TimeSpan patience) => await Task.WhenAll(clients).WaitAsync(patience);

    private async Task ClientAsync(HttpClient http, string tenant, IReadOnlyList<string> carts, string sku)
    {
        var document = Operations.Document("AddItemToCart");
        while (true)
        {
            var cartId = carts[Random.Shared.Next(carts.Count)];
            var input = new { tenantId = tenant, cartId, item = new { sku, name = $"Item {sku}", quantity = 1, unitPrice = 1m } };
            JsonNode? payload;
            try
            {
                using var response = await http.PostAsJsonAsync("/graphql", new { query = document, variables = new { input } });
                if (response.StatusCode != HttpStatusCode.OK) continue;
                payload = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["data"]?["addItemToCart"];
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                return;
            }
            // Refused (over the tenant's rate, say) is not acknowledged; only a version the client was given counts.
            if (payload?["errors"] is null && payload?["version"] is JsonValue version)
                acknowledged.Enqueue(new Acknowledged(cartId, (long)version, sku));
        }
    }
}
