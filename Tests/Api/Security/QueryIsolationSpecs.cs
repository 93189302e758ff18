using System.Net;
using CartGraph.Tests.Api.EndToEnd;
using static CartGraph.Tests.Api.Security.VictimTenant;

namespace CartGraph.Tests.Api.Security;

/// <summary>A token that does not name a tenant reads nothing of it: a FORBIDDEN GraphQL error and no data.</summary>
public sealed class QueryIsolationSpecs(VictimTenant fixture) : IClassFixture<VictimTenant>
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var operation in new[] { "Cart", "Carts", "CartHistory" })
            foreach (var intruder in Intruders)
                cases.Add(operation, intruder);
            return cases;
        }
    }

    private static object VariablesOf(string operation) => operation switch
    {
        // atLeastVersion: a wait for the read model must not come before the check either.
        "Cart" => new { tenantId = Victim, cartId = CartId, atLeastVersion = 1 },
        "Carts" => new { tenantId = Victim, first = 100 },
        "CartHistory" => new { tenantId = Victim, cartId = CartId },
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_query_for_a_tenant_the_token_does_not_name_is_forbidden_and_shows_nothing(string operation, string intruder)
    {
        var before = await StoredRows.OfDatabaseAsync(fixture.Api.ConnectionString);
        using var http = Bearer.For(fixture.Api.BaseAddress, TenantsOf(intruder));

        var response = await http.GraphQLAsync(Operations.Document(operation), VariablesOf(operation));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var error = Assert.Single(response.Errors!)!;
        Assert.Equal("FORBIDDEN", (string?)error["extensions"]?["code"]);
        var field = char.ToLowerInvariant(operation[0]) + operation[1..];
        Assert.True(response.Data is null || response.Data[field] is null, $"Expected no data, got {response}");
        Assert.DoesNotContain(Secret, response.Body.ToJsonString());
        Assert.Equal(before, await StoredRows.OfDatabaseAsync(fixture.Api.ConnectionString));
    }

    [Fact]
    public async Task The_victims_own_token_reads_what_the_intruders_cannot()
    {
        using var http = Bearer.For(fixture.Api.BaseAddress, Victim);

        var data = await http.DataOfAsync(Operations.Document("Cart"), new { tenantId = Victim, cartId = CartId });

        Assert.Contains(Secret, data.ToJsonString());
    }
}
