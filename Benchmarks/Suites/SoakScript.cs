namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// The soak's wrk script. Each of wrk's two threads owns half of the carts and visits them in turn, one mutation per
/// cart per round. Rounds 0 to 4 add 2 units of sku 0 to 4, so that every cart holds 5 lines (merged into from then
/// on); later rounds alternate: an even round adds 2 units of a sku, the odd round after it takes 1 unit of that sku
/// away. So every mutation is accepted and appends an event, and a cart's lines stay 5 whatever the run's length
/// (a new run starts at round 0 again: more merges). Every <c>queryEvery</c>-th request reads the next cart instead.
/// </summary>
internal static class SoakScript
{
    public const int Lines = 5;

    public static string CartId(int cart) => $"soak-{cart:D5}";

    public static string For(string tenant, string token, int carts, int queryEvery) => """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer TOKEN"
        local threads, id, sent, mutations, queries = {}, 0, 0, 0, 0
        local add = '{"query":"mutation($input: AddItemToCartInput!) { addItemToCart(input: $input) { version errors { __typename } } }","variables":{"input":{"tenantId":"TENANT","cartId":"%s","item":{"sku":"SKU-%d","name":"Item %d","quantity":2,"unitPrice":%d.99}}}}'
        local remove = '{"query":"mutation($input: RemoveItemFromCartInput!) { removeItemFromCart(input: $input) { version errors { __typename } } }","variables":{"input":{"tenantId":"TENANT","cartId":"%s","sku":"SKU-%d","quantity":1}}}'
        local read = '{"query":"query($tenantId: ID!, $cartId: ID!) { cart(tenantId: $tenantId, cartId: $cartId) { cartId status total version items { sku quantity } } }","variables":{"tenantId":"TENANT","cartId":"%s"}}'
        function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
        function init(args) id = tonumber(wrk.thread:get("id")) or 0 end
        local function cart(n) return string.format("soak-%05d", id * HALF + n % HALF) end
        function request()
          sent = sent + 1
          if sent % QUERY_EVERY == 0 then
            queries = queries + 1
            return wrk.format(nil, nil, nil, string.format(read, cart(queries * 7919)))
          end
          local round = math.floor(mutations / HALF)
          local target = cart(mutations)
          mutations = mutations + 1
          if round >= LINES and round % 2 == 1 then
            return wrk.format(nil, nil, nil, string.format(remove, target, math.floor(round / 2) % LINES))
          end
          local sku = round < LINES and round or math.floor(round / 2) % LINES
          return wrk.format(nil, nil, nil, string.format(add, target, sku, sku, 9 + sku))
        end
        """
        .Replace("HALF", $"{carts / 2}").Replace("QUERY_EVERY", $"{queryEvery}").Replace("LINES", $"{Lines}")
        .Replace("TENANT", tenant).Replace("TOKEN", token);
}
