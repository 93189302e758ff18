using System.Text;
using System.Text.Json;

namespace CartGraph.Tests.Api.Security;

/// <summary>
/// Random and mutated GraphQL requests, reproducible from a seed. None of them can write by construction: every
/// mutation (and every document that is not a shipped query) names only tenants the token does not name, or invalid
/// ones; only shipped queries and subscriptions may read the token's own tenant, and never with a wait for a version.
/// </summary>
public sealed class RequestFuzzer(Random random)
{
    /// <summary>The token's tenant: only ever read.</summary>
    public const string Own = "fuzz-own";

    /// <summary>Not the token's tenant: mutations name it, and must be forbidden.</summary>
    public const string Victim = "fuzz-victim";

    public const string OwnCart = "fuzz-cart";

    private const int BodyLimit = 64 * 1024;

    private static readonly string[] Queries = ["Cart", "Carts", "CartHistory", "CartChanged", "CartEvents"];

    private static readonly string[] Mutations = ["CreateCart", "AddItemToCart", "RemoveItemFromCart", "EmptyCart", "CheckOutCart", "CancelCart", "ArchiveCart"];

    private static readonly string[] SchemaNames =
    [
        "cart", "carts", "cartHistory", "createCart", "addItemToCart", "removeItemFromCart", "emptyCart", "checkOutCart", "cancelCart",
        "archiveCart", "cartChanged", "cartEvents", "cartId", "tenantId", "status", "currency", "items", "sku", "name", "quantity",
        "unitPrice", "lineTotal", "total", "orderId", "version", "edges", "node", "nodes", "cursor", "pageInfo", "errors", "message",
        "code", "input", "first", "after", "data", "type", "__typename", "__schema", "__type", "types", "fields", "ofType", "Cart",
        "Query", "Mutation", "Error", "ForbiddenError", "CartStatus", "ACTIVE", "CANCELLED", "on", "fragment", "query", "mutation",
        "subscription", "true", "false", "null", "include", "skip", "deprecated", "specifiedBy", "oneOf",
    ];

    /// <summary>Tenant ids a mutation may name: never the token's own.</summary>
    private static readonly string[] ForeignTenants =
    [
        Victim, "fuzz_own", "FUZZ-OWN", "fuzz-own ", " fuzz-own", "fuzz-own\u0000", "", "-fuzz", "emt:default", "../fuzz-own",
        "fuzz-own'; DROP TABLE carts; --", "fuzz%own", "fuzz-øwn", new string('a', 64), "fuzz-own\nfuzz-victim", "*", "%", "\\",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/graphql", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
        "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "application/jsonx", "", "*/*",
        "application/graphql-response+json", "application/json; charset=\"", "application/json;;;", "text/html", "application/xml",
    ];

    private static readonly string[] Accepts =
    [
        "application/xml", "*/*", "application/json;q=0", "application/graphql-response+json", "text/plain, */*;q=0.1", ";;;,,",
        "application/json; charset=utf-16", "image/png",
    ];

    private int index;

    public FuzzedRequest Next()
    {
        index++;
        return random.Next(100) switch
        {
            < 22 => MutatedDocument(),
            < 34 => WrongVariables(),
            < 46 => RandomDocument(),
            < 53 => Deep(),
            < 59 => HugeStrings(),
            < 64 => HugeLists(),
            < 73 => InvalidJson(),
            < 77 => Binary(),
            < 81 => WrongContentType(),
            < 84 => HugeBody(),
            < 95 => Get(),
            _ => OtherMethod(),
        };
    }

    // ---- the kinds of request

    private FuzzedRequest MutatedDocument()
    {
        var operation = Pick([.. Queries, .. Mutations]);
        var document = Operations.Document(operation);
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits; i++) document = Mutate(document);
        return Post("mutated document", document, Variables(operation));
    }

    private FuzzedRequest WrongVariables()
    {
        var operation = Pick([.. Queries, .. Mutations]);
        return Post("wrong variables", Operations.Document(operation), random.Next(4) == 0 ? RandomJson(3) : Variables(operation, wrongTypes: true));
    }

    private FuzzedRequest RandomDocument() =>
        Post("random document", random.Next(3) switch
        {
            0 => Noise(random.Next(1, 400)),
            1 => $"{Pick("", "query", "mutation", "subscription", "query Q($tenantId: ID!, $x: Int)", "mutation M", "fragment F on Cart")} {Selection(random.Next(1, 6))}",
            _ => string.Join(" ", Enumerable.Range(0, random.Next(1, 60)).Select(_ => Token())),
        }, random.Next(3) == 0 ? RandomJson(2) : null);

    private FuzzedRequest Deep()
    {
        var depth = Pick(10, 64, 100, 500, 1_000, 5_000, 20_000, 30_000);
        var (kind, document, variables) = random.Next(6) switch
        {
            0 => ("deep selection", $"{Repeat("{a", depth)}{Repeat("}", depth)}", (string?)null),
            1 => ("deep schema selection", $"{{ cart(tenantId: \"{Victim}\", cartId: \"c\") {Repeat("{ items ", depth)}{Repeat("}", depth)} }}", null),
            2 => ("deep list literal", $"{{ carts(tenantId: {Repeat("[", depth)}1{Repeat("]", depth)}) {{ nodes {{ cartId }} }} }}", null),
            3 => ("deep object literal", $"mutation {{ createCart(input: {Repeat("{a: ", depth)}1{Repeat("}", depth)}) {{ version }} }}", null),
            4 => ("fragment chain", FragmentChain(Math.Min(depth, 1_500), cyclic: random.Next(2) == 0), null),
            _ => ("deep JSON variables", Operations.Document("Cart"), $"{Repeat("{\"a\":", depth)}1{Repeat("}", depth)}"),
        };
        return Post(kind, document, variables);
    }

    private FuzzedRequest HugeStrings()
    {
        var size = Pick(1_000, 10_000, 40_000, 60_000);
        var huge = Noise(size, printable: true);
        return random.Next(5) switch
        {
            0 => Post("huge string literal", $"{{ cart(tenantId: {Quote(huge)}, cartId: \"c\") {{ cartId }} }}", null),
            1 => Post("huge block string", $"{{ cart(tenantId: \"{Victim}\", cartId: \"\"\"{huge.Replace("\"\"\"", "")}\"\"\") {{ cartId }} }}", null),
            2 => Post("huge name", $"{{ {new string('a', size)} }}", null),
            3 => Post("huge number", $"{{ carts(tenantId: \"{Own}\", first: {new string('9', Math.Min(size, 5_000))}) {{ nodes {{ cartId }} }} }}", null),
            _ => Post("huge variable", Operations.Document(Pick(Mutations)),
                JsonSerializer.Serialize(new { input = new { tenantId = Pick(Victim, huge), cartId = huge, currency = huge, sku = huge, reason = huge, item = new { sku = huge, name = huge, quantity = 1, unitPrice = 1 } } })),
        };
    }

    private FuzzedRequest HugeLists()
    {
        var count = Pick(100, 196, 1_000, 5_000, 10_000);
        return random.Next(6) switch
        {
            0 => Post("huge list variable", Operations.Document("CartHistory"), $"{{\"tenantId\": [{string.Join(",", Enumerable.Repeat("\"fuzz-own\"", count))}], \"cartId\": \"c\"}}"),
            1 => Post("huge list literal", $"{{ carts(tenantId: [{string.Join(",", Enumerable.Repeat("1", count))}]) {{ nodes {{ cartId }} }} }}", null),
            2 => Post("many aliases", $"{{ {string.Join(" ", Enumerable.Range(0, count / 3).Select(i => $"a{i}: __typename"))} }}", null),
            // Fields that cannot merge: validation reports every pair.
            3 => Post("conflicting fields", $"{{ carts(tenantId: \"{Own}\") {{ nodes {{ {string.Join(" ", Enumerable.Range(0, Math.Min(count, 2_000)).Select(i => i % 2 == 0 ? "a: cartId" : "a: status"))} }} }} }}", null),
            4 => Post("conflicting arguments", $"{{ {string.Join(" ", Enumerable.Range(0, Math.Min(count, 1_500)).Select(i => $"cart(tenantId: \"{Victim}\", cartId: \"{i}\") {{ cartId }}"))} }}", null),
            _ => Post("many operations", string.Join("\n", Enumerable.Range(0, count / 5).Select(i => $"query Q{i} {{ __typename }}")), null, operationName: $"Q{random.Next(count)}"),
        };
    }

    private FuzzedRequest InvalidJson()
    {
        var valid = Body(Operations.Document(Pick(Mutations)), Variables(Pick(Mutations)), null);
        var text = random.Next(14) switch
        {
            0 => valid[..random.Next(valid.Length)],
            1 => FlipCharacters(valid),
            2 => $"[{valid},{valid}]",
            3 => Pick("\"{ __typename }\"", "42", "null", "true", "{}", "[]", "", " ", "\u00a0"),
            4 => """{"query": 42}""",
            5 => """{"query": null}""",
            6 => """{"query": "{ __typename }", "variables": "not an object"}""",
            7 => """{"query": "{ __typename }", "variables": [1, 2]}""",
            8 => """{"query": "{ __typename }", "operationName": 7, "extensions": "x"}""",
            9 => """{"query": "{ __typename }", "query": "mutation { archiveCart(input: {tenantId: \"fuzz-victim\", cartId: \"c\"}) { version } }"}""",
            10 => """{"query": "{ __typename }" /* comment */, }""",
            11 => """{"query": "{ carts(tenantId: \"fuzz-own\", first: NaN) { nodes { cartId } } }", "variables": {"x": NaN, "y": Infinity}}""",
            12 => "\uFEFF" + valid,
            _ => """{'query': '{ __typename }'}""",
        };
        return new FuzzedRequest(index, "invalid JSON", HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes(text), "application/json", MaybeAccept());
    }

    private FuzzedRequest Binary()
    {
        var bytes = new byte[Pick(1, 16, 512, 4_096, 30_000)];
        random.NextBytes(bytes);
        if (random.Next(3) == 0) bytes = [.. Encoding.Unicode.GetBytes(Body("{ __typename }", null, null))]; // UTF-16 under a UTF-8 label
        return new FuzzedRequest(index, "binary body", HttpMethod.Post, "/graphql", bytes, Pick("application/json", "application/json; charset=utf-8", "application/octet-stream"), MaybeAccept());
    }

    private FuzzedRequest WrongContentType()
    {
        var body = Encoding.UTF8.GetBytes(Body(Operations.Document(Pick(Mutations)), Variables(Pick(Mutations)), null));
        return new FuzzedRequest(index, "wrong content type", HttpMethod.Post, "/graphql", body, random.Next(6) == 0 ? null : Pick(ContentTypes), MaybeAccept());
    }

    private FuzzedRequest HugeBody()
    {
        var size = Pick(BodyLimit + 1, BodyLimit + 1_000, 200_000, 1_000_000);
        var padding = new string(' ', size);
        var body = Encoding.UTF8.GetBytes("""{"query": "{ __typename }", "variables": {}}""" + padding);
        return new FuzzedRequest(index, "huge body", HttpMethod.Post, "/graphql", body, "application/json", MaybeAccept(), Chunked: random.Next(2) == 0);
    }

    private FuzzedRequest Get()
    {
        string Escape(string s) => Uri.EscapeDataString(s);
        var operation = Pick([.. Queries, .. Mutations]);
        var query = random.Next(9) switch
        {
            0 => $"query={Escape(Mutate(Operations.Document(operation)))}&variables={Escape(Variables(operation))}",
            1 => $"query={Escape(Operations.Document(operation))}&variables={Escape(Variables(operation, wrongTypes: true))}",
            2 => string.Concat(Enumerable.Range(0, random.Next(1, 200)).Select(_ => $"%{random.Next(256):X2}")),
            3 => $"query={Escape("{ __typename }")}&query={Escape("{ __typename }")}",
            4 => $"query={Escape("{ __typename }")}&variables={Escape(Noise(random.Next(1, 100)))}&operationName=a&operationName=b",
            5 => $"variables={Escape("{}")}",
            6 => $"query={new string('a', Pick(1_000, 9_000, 40_000))}",
            7 => Noise(random.Next(1, 100), printable: true).Replace("#", ""),
            _ => $"query={Escape(RandomSelectionDocument())}&extensions={Escape(Pick("[]", "1", "{\"persistedQuery\": {\"sha256Hash\": \"x\"}}"))}",
        };
        return new FuzzedRequest(index, "GET garbage", HttpMethod.Get, $"/graphql?{query}", null, null, MaybeAccept());
    }

    private FuzzedRequest OtherMethod()
    {
        var body = Encoding.UTF8.GetBytes(Body(Operations.Document(Pick(Mutations)), Variables(Pick(Mutations)), null));
        var method = new HttpMethod(Pick("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FUZZ"));
        return new FuzzedRequest(index, "other method", method, "/graphql", method == HttpMethod.Head || method == HttpMethod.Trace ? null : body, "application/json", MaybeAccept());
    }

    // ---- documents

    private FuzzedRequest Post(string kind, string document, string? variables, string? operationName = null) =>
        new(index, kind, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes(Body(document, variables, operationName)), "application/json", MaybeAccept());

    private static string Body(string document, string? variables, string? operationName) =>
        $"{{\"query\": {Quote(document)}{(variables is null ? "" : $", \"variables\": {variables}")}{(operationName is null ? "" : $", \"operationName\": {Quote(operationName)}")}}}";

    /// <summary>One character-level edit: a character dropped, doubled, swapped, inserted or replaced, a name replaced, or the end cut off.</summary>
    private string Mutate(string document)
    {
        if (document.Length < 2) return document + Token();
        var at = random.Next(document.Length - 1);
        return random.Next(7) switch
        {
            0 => document.Remove(at, 1),
            1 => document.Insert(at, document[at].ToString()),
            2 => string.Concat(document.AsSpan(0, at), document[at + 1].ToString(), document[at].ToString(), document.AsSpan(at + 2)),
            3 => document.Insert(at, Pick("{", "}", "(", ")", "[", "]", ":", "$", "!", "@", "...", "\"", "\\", "#", "|", "&", "=", "\u0000", "\u2028", "\r", "\n", "\t", "\uFEFF", "😀", " ")),
            4 => string.Concat(document.AsSpan(0, at), ((char)random.Next(32, 127)).ToString(), document.AsSpan(at + 1)),
            5 => ReplaceName(document),
            _ => document[..at],
        };
    }

    private string ReplaceName(string document)
    {
        var names = System.Text.RegularExpressions.Regex.Matches(document, @"[_A-Za-z][_0-9A-Za-z]*");
        if (names.Count == 0) return document;
        var name = names[random.Next(names.Count)];
        return string.Concat(document.AsSpan(0, name.Index), random.Next(2) == 0 ? Pick(SchemaNames) : Identifier(), document.AsSpan(name.Index + name.Length));
    }

    private string RandomSelectionDocument() => Selection(random.Next(1, 4));

    /// <summary>A selection set of schema and random names, with random arguments: never the token's tenant.</summary>
    private string Selection(int depth)
    {
        var fields = Enumerable.Range(0, random.Next(1, 5)).Select(_ =>
        {
            var alias = random.Next(5) == 0 ? $"{Identifier()}: " : "";
            var name = random.Next(3) == 0 ? Identifier() : Pick(SchemaNames);
            var arguments = random.Next(2) == 0 ? $"({string.Join(", ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"{Pick("tenantId", "cartId", "first", "after", "status", "input", "atLeastVersion", Identifier())}: {Value(2)}"))})" : "";
            var directive = random.Next(8) == 0 ? $" @{Pick("include", "skip", "deprecated", Identifier())}(if: {Value(1)})" : "";
            var selection = depth > 1 && random.Next(2) == 0 ? " " + Selection(depth - 1) : "";
            return $"{alias}{name}{arguments}{directive}{selection}";
        });
        return $"{{ {string.Join(" ", fields)} }}";
    }

    private string Value(int depth) => random.Next(depth > 0 ? 10 : 7) switch
    {
        0 => Quote(Pick(ForeignTenants)),
        1 => random.Next(int.MinValue, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => Pick("1.5", "-0", "1e400", "99999999999999999999999999", "0x10", "NaN", "-1"),
        3 => Pick("true", "false", "null", "ACTIVE", "CHECKED_OUT", "BOGUS"),
        4 => $"${Pick("tenantId", "input", "x", Identifier())}",
        5 => Quote(Noise(random.Next(0, 80), printable: true)),
        6 => "\"\"\"" + Noise(random.Next(0, 40), printable: true).Replace("\"", "") + "\"\"\"",
        7 or 8 => $"[{string.Join(", ", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(depth - 1)))}]",
        _ => $"{{ {string.Join(", ", Enumerable.Range(0, random.Next(0, 4)).Select(_ => $"{Pick("tenantId", "cartId", "item", "sku", "quantity", Identifier())}: {Value(depth - 1)}"))} }}",
    };

    /// <summary>Fragments spreading one another: deep for whatever walks fragments, though every definition is shallow.</summary>
    private static string FragmentChain(int length, bool cyclic) =>
        "query { cart(tenantId: \"fuzz-victim\", cartId: \"c\") { ...F0 } }\n"
        + string.Join("\n", Enumerable.Range(0, length).Select(i =>
            i + 1 < length ? $"fragment F{i} on Cart {{ ...F{i + 1} }}" : $"fragment F{i} on Cart {{ cartId {(cyclic ? "...F0" : "")} }}"));

    private string Token() => random.Next(4) switch
    {
        0 => Pick(SchemaNames),
        1 => Identifier(),
        2 => Pick("{", "}", "(", ")", "[", "]", ":", "$", "!", "@", "...", "=", "|", "&", ",", "#", "\"", "\"\"\""),
        _ => Value(1),
    };

    private string Identifier()
    {
        const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        const string More = Letters + "0123456789";
        return Letters[random.Next(Letters.Length)] + new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => More[random.Next(More.Length)]).ToArray());
    }

    // ---- variables

    /// <summary>
    /// Variables shaped like the operation's, some values odd; with <paramref name="wrongTypes"/> many of them of another
    /// type. A mutation names only foreign tenants; a query may read the token's own tenant, but never waits for a version.
    /// </summary>
    private string Variables(string operation, bool wrongTypes = false)
    {
        var isMutation = Mutations.Contains(operation);
        var tenant = isMutation || random.Next(2) == 0 ? Pick(ForeignTenants) : Own;
        string Leaf(string plausible) => wrongTypes && random.Next(2) == 0 ? WrongValue() : plausible;
        string Text() => Leaf(Quote(random.Next(4) == 0 ? Noise(random.Next(0, 300), printable: true) : Pick(OwnCart, "c", "", "sku-1", "USD", "ÉÉÉ", "null")));
        string Int() => Leaf(Pick("1", "0", "-1", "10000", "10001", "2147483648", "1.5", "1e3"));
        var entries = new List<string> { $"\"tenantId\": {Leaf(Quote(tenant))}" };
        if (isMutation)
        {
            var input = new List<string>(entries)
            {
                $"\"cartId\": {Text()}", $"\"currency\": {Text()}", $"\"sku\": {Text()}", $"\"quantity\": {Int()}", $"\"reason\": {Text()}",
                $"\"orderId\": {Text()}", $"\"total\": {Leaf(Pick("1", "-1", "0.001", "1e20", "1E-400"))}", $"\"expectedVersion\": {Int()}",
                $"\"item\": {Leaf($"{{\"sku\": {Text()}, \"name\": {Text()}, \"quantity\": {Int()}, \"unitPrice\": {Leaf(Pick("10", "-1", "0.001", "1e400", "\"10\""))}}}")}",
            };
            entries = [$"\"input\": {Leaf($"{{{string.Join(", ", Shuffle(input).Take(random.Next(1, input.Count + 1)))}}}")}"];
        }
        else
        {
            entries.Add($"\"cartId\": {Text()}");
            entries.Add($"\"first\": {Int()}");
            entries.Add($"\"after\": {Text()}");
            entries.Add($"\"status\": {Leaf(Pick("\"ACTIVE\"", "\"CANCELLED\"", "\"active\"", "\"BOGUS\"", "1"))}");
            // A version the read model never reaches would make the server wait: only values that cannot be one.
            if (random.Next(3) == 0) entries.Add($"\"atLeastVersion\": {Pick("\"soon\"", "true", "{}", "[]", "1.5", "null")}");
        }
        if (random.Next(5) == 0) entries.Add($"\"{Identifier()}\": {WrongValue()}");
        return $"{{{string.Join(", ", Shuffle(entries))}}}";
    }

    private string WrongValue() => Pick(
        "null", "true", "0", "-1", "1.5", "1e400", "-1e400", "99999999999999999999999999999", "\"\"", "\"1\"", "[]", "[1, \"a\", null]",
        "{}", "{\"tenantId\": \"fuzz-victim\"}", "\"\\u0000\"", "\"\\ud800\"", Quote(Noise(20, printable: true)), "[[[[[]]]]]");

    private string RandomJson(int depth) => random.Next(depth > 0 ? 7 : 4) switch
    {
        0 => WrongValue(),
        1 => Quote(Pick(ForeignTenants)),
        2 => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => "null",
        4 or 5 => $"{{{string.Join(", ", Enumerable.Range(0, random.Next(0, 5)).Select(_ => $"{Quote(Pick("tenantId", "input", "cartId", Identifier()))}: {RandomJson(depth - 1)}"))}}}",
        _ => $"[{string.Join(", ", Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomJson(depth - 1)))}]",
    };

    // ---- randomness

    private string? MaybeAccept() => random.Next(10) == 0 ? Pick(Accepts) : null;

    private string Noise(int length, bool printable = false)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = printable ? (char)random.Next(32, 127) : (char)random.Next(random.Next(4) == 0 ? 0xD7FF : 128); // no lone surrogates: they are not text
        return new string(chars);
    }

    private string FlipCharacters(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < random.Next(1, 6); i++) chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
        return new string(chars);
    }

    private T Pick<T>(params T[] choices) => choices[random.Next(choices.Length)];

    private List<T> Shuffle<T>(List<T> items) => [.. items.OrderBy(_ => random.Next())];

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
