using CartGraph.Api.GraphQL;

namespace CartGraph.Api.Verbs;

/// <summary><c>schema export [--output FILE]</c>: writes the SDL the server serves (default <c>schema.graphql</c>).</summary>
public static class SchemaExportVerb
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1] != "export")
        {
            Console.Error.WriteLine("usage: schema export [--output FILE]");
            return 2;
        }
        var output = CommandLine.Option(args, "--output") ?? "schema.graphql";
        await using var services = new ServiceCollection().AddCartSchema().BuildServiceProvider();
        await File.WriteAllTextAsync(output, CartSchemaRegistration.PrintSchema(services));
        Console.WriteLine($"Wrote the schema to {Path.GetFullPath(output)}.");
        return 0;
    }
}
