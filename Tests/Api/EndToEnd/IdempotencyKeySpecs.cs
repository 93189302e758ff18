using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>Mutations with an idempotency key over HTTP: a retry whose first response was lost does the command once.</summary>
public sealed class IdempotencyKeySpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_mutation_retried_after_its_connection_was_cut_after_the_commit_appends_once_and_answers_the_first_outcome()
    {
        var shop = new Shop(api.Http, "e2e-idem-lost");
        await shop.Create("cart-1");
        var input = new { tenantId = shop.TenantId, cartId = "cart-1", item = new { sku = "A", name = "Item A", quantity = 2, unitPrice = 5m }, idempotencyKey = "add-A-once" };

        await SendAndHangUpAfterAsync(shop.TenantId, new { query = Operations.Document("AddItemToCart"), variables = new { input } },
            committed: async () => Assert.Equal(2, (await CartGraph.Tests.Integration.Eventually.Until(() => shop.History("cart-1"), h => h.Count == 2)).Count));
        await shop.Add("cart-1", "B");
        var retried = await shop.Succeeds("AddItemToCart", input);

        Assert.Equal(2L, (long)retried["version"]!);
        Assert.Equal(["A"], retried["cart"]!["items"]!.AsArray().Select(i => (string)i!["sku"]!).ToArray());
        Assert.Equal(3, (await shop.History("cart-1")).Count);
    }

    [Fact]
    public async Task CreateCart_without_a_cart_id_retried_with_its_key_names_the_same_cart()
    {
        var shop = new Shop(api.Http, "e2e-idem-create");
        var input = new { tenantId = shop.TenantId, currency = "EUR", idempotencyKey = "new-cart" };

        var first = await shop.Succeeds("CreateCart", input);
        var again = await shop.Succeeds("CreateCart", input);

        Assert.Equal((string)first["cart"]!["cartId"]!, (string)again["cart"]!["cartId"]!);
        Assert.Equal(1L, (long)again["version"]!);
    }

    [Fact]
    public async Task The_same_key_with_other_input_answers_IdempotencyKeyReusedError()
    {
        var shop = new Shop(api.Http, "e2e-idem-reused");
        await shop.Create("cart-1");
        await shop.Succeeds("AddItemToCart", new { tenantId = shop.TenantId, cartId = "cart-1", item = new { sku = "A", name = "A", quantity = 1, unitPrice = 1m }, idempotencyKey = "k" });

        var error = await shop.RefusesWith("IdempotencyKeyReusedError", "IDEMPOTENCY_KEY_REUSED", "cart-1", "AddItemToCart",
            new { tenantId = shop.TenantId, cartId = "cart-1", item = new { sku = "A", name = "A", quantity = 2, unitPrice = 1m }, idempotencyKey = "k" });

        Assert.Equal("k", (string)error["idempotencyKey"]!);
    }

    [Fact]
    public async Task A_key_over_128_characters_is_a_ValidationError()
    {
        var shop = new Shop(api.Http, "e2e-idem-invalid");
        await shop.Create("cart-1");

        var error = await shop.RefusesWith("ValidationError", "VALIDATION_ERROR", "cart-1", "EmptyCart",
            new { tenantId = shop.TenantId, cartId = "cart-1", idempotencyKey = new string('k', 129) });

        Assert.Equal("idempotencyKey", (string)error["field"]!);
    }

    /// <summary>Sends a request over a raw socket and, once <paramref name="committed"/> holds, closes it without reading a byte of the answer: a lost response.</summary>
    private async Task SendAndHangUpAfterAsync(string tenant, object body, Func<Task> committed)
    {
        var json = JsonSerializer.Serialize(body);
        var authorization = $"Bearer {TestTokens.For(tenant)}";
        using var socket = new TcpClient();
        await socket.ConnectAsync(api.BaseAddress.Host, api.BaseAddress.Port);
        var stream = socket.GetStream();
        var request = $"POST /graphql HTTP/1.1\r\nHost: {api.BaseAddress.Authority}\r\nAuthorization: {authorization}\r\n" +
                      $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        await stream.FlushAsync();
        await committed();
        socket.Client.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
