using CartGraph.Api.GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace CartGraph.Tests.Api;

/// <summary><c>schema.graphql</c> at the root is what the server serves: frontends generate code from it.</summary>
public sealed class SchemaFileSpecs
{
    [Fact]
    public async Task Schema_graphql_equals_the_served_schema()
    {
        await using var services = new ServiceCollection().AddCartSchema().BuildServiceProvider();
        var served = CartSchemaRegistration.PrintSchema(services);
        var committed = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "schema.graphql"));
        Assert.True(committed == served,
            "schema.graphql differs from the served schema: run `dotnet run --project Api -- schema export` and commit the result.");
    }
}
