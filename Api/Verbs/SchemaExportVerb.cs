using CartGraph.Api.GraphQL;

namespace CartGraph.Api.Verbs;

/// <summary>
/// <c>schema export [--output FILE]</c>: writes the SDL the server serves (default: the repository's
/// <c>schema.graphql</c>, beside <c>CartGraph.sln</c>, else <c>schema.graphql</c> in the working directory).
/// </summary>
public static class SchemaExportVerb
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1] != "export")
        {
            Console.Error.WriteLine("usage: schema export [--output FILE]");
            return 2;
        }
        var output = CommandLine.Option(args, "--output") ?? DefaultOutput(Directory.GetCurrentDirectory());
        await using var services = new ServiceCollection().AddCartSchema().BuildServiceProvider();
        await File.WriteAllTextAsync(output, CartSchemaRegistration.PrintSchema(services));
        Console.WriteLine($"Wrote the schema to {Path.GetFullPath(output)}.");
        return 0;
    }

    /// <summary>
    /// The schema beside the solution above <paramref name="start"/>: <c>dotnet run --project Api</c> runs in Api/,
    /// and the schema frontends generate code from is the repository's.
    /// </summary>
    public static string DefaultOutput(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "CartGraph.sln"))) return Path.Combine(folder.FullName, "schema.graphql");
        return Path.Combine(start, "schema.graphql");
    }
}
