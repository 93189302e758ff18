using System.Net;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Api.Security;
using static CartGraph.Tests.Api.Security.QueryLimitSpecs;

namespace CartGraph.Tests.Api.Introspection;

/// <summary>
/// Introspection is never refused by the depth, cost or selection limits, however small they are set, while every
/// other field of the same document stays under them: a deep or costly query cannot hide behind <c>__schema</c>.
/// </summary>
public sealed class IntrospectionLimitSpecs(LimitedApi limited) : IClassFixture<LimitedApi>
{
    private const string Tenant = "lim-intro";

    [Fact]
    public async Task The_standard_introspection_query_with_every_option_is_answered_under_the_smallest_limits()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);

        var answer = await http.GraphQLAsync(StandardIntrospection.Query);

        Assert.True(answer is { Status: HttpStatusCode.OK, Errors: null }, $"Expected the schema, got {answer}");
        var schema = answer.Data!["__schema"]!;
        Assert.Equal("Query", (string?)schema["queryType"]?["name"]);
        Assert.Contains(schema["types"]!.AsArray(), type => (string?)type!["name"] == "Cart");
        Assert.All(schema["directives"]!.AsArray(), directive => Assert.NotNull(directive!["isRepeatable"]));
    }

    [Fact]
    public async Task A_query_too_deep_beside_the_introspection_is_still_refused_with_COMPLEXITY()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);

        var answer = await http.GraphQLAsync(
            StandardIntrospection.With("carts(tenantId: $t, first: 1) { edges { node { items { sku } } } }"), new { t = Tenant });

        AssertRefused(answer, "COMPLEXITY", "nested");
    }

    [Fact]
    public async Task A_query_too_costly_beside_the_introspection_is_still_refused_with_COMPLEXITY()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);

        var answer = await http.GraphQLAsync(
            StandardIntrospection.With("carts(tenantId: $t, first: 100) { nodes { cartId status currency total version } }"), new { t = Tenant });

        AssertRefused(answer, "COMPLEXITY", "complex");
    }

    [Fact]
    public async Task Selections_beside_the_introspection_still_count_against_the_selection_limit()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);
        var fields = string.Join(" ", Enumerable.Range(0, LimitedApi.MaxSelections + 1).Select(i => $"a{i}: __typename"));

        var answer = await http.GraphQLAsync(StandardIntrospection.With(fields), new { t = Tenant });

        AssertRefused(answer, "DOCUMENT_TOO_LARGE", $"{LimitedApi.MaxSelections}");
    }

    [Fact]
    public async Task An_introspection_nesting_type_lists_deeper_than_graphql_js_allows_is_refused()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);

        // graphql-js's MaxIntrospectionDepthRule: fields, interfaces, possibleTypes and inputFields nest at most twice.
        var answer = await http.GraphQLAsync("{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }");

        AssertRefused(answer, "INTROSPECTION_TOO_DEEP", "introspection");
    }

    [Fact]
    public async Task An_introspection_has_a_selection_budget_of_its_own()
    {
        // The instance with the default limits, whose body limit lets such a document through to be counted.
        using var http = Bearer.For(limited.Api.BaseAddress, Tenant);
        var names = string.Join(" ", Enumerable.Range(0, 501).Select(i => $"n{i}: name"));

        var answer = await http.GraphQLAsync($"{{ __schema {{ types {{ {names} }} }} }}");

        AssertRefused(answer, "DOCUMENT_TOO_LARGE", "introspection has more than 500 selections");
    }

    [Fact]
    public async Task Fragments_on_introspection_types_spread_within_each_other_too_deeply_are_refused()
    {
        using var http = Bearer.For(limited.BaseAddress, Tenant);
        var chain = string.Join("\n", Enumerable.Range(0, 17).Select(i => i < 16 ? $"fragment T{i} on __Type {{ ...T{i + 1} }}" : $"fragment T{i} on __Type {{ name }}"));

        var answer = await http.GraphQLAsync("{ __schema { types { ...T0 } } }\n" + chain);

        AssertRefused(answer, "DOCUMENT_TOO_DEEP", "16");
    }
}
