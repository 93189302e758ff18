using CartGraph.Api.Verbs;

namespace CartGraph.Tests.Api.Verbs;

/// <summary><c>dotnet run --project Api -- schema export</c> starts in Api/: the schema it rewrites is the repository's.</summary>
public sealed class SchemaExportVerbSpecs : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("cartgraph-schema-");

    [Fact]
    public void From_a_project_folder_the_default_output_is_the_schema_beside_the_solution()
    {
        File.WriteAllText(Path.Combine(root.FullName, "CartGraph.sln"), "");
        var api = root.CreateSubdirectory("Api");

        Assert.Equal(Path.Combine(root.FullName, "schema.graphql"), SchemaExportVerb.DefaultOutput(api.FullName));
    }

    [Fact]
    public void Outside_a_checkout_the_default_output_is_in_the_folder_it_starts_in()
    {
        var elsewhere = root.CreateSubdirectory("published");

        Assert.Equal(Path.Combine(elsewhere.FullName, "schema.graphql"), SchemaExportVerb.DefaultOutput(elsewhere.FullName));
    }

    public void Dispose() => root.Delete(recursive: true);
}
