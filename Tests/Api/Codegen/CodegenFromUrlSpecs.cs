namespace CartGraph.Tests.Api.Codegen;

/// <summary>
/// A frontend team points GraphQL Code Generator at the running server, not at a file: it introspects the served URL
/// (graphql-js's introspection query, every option its loader turns on) and must generate exactly what the
/// file-based run generates from schema.graphql.
/// </summary>
public sealed class CodegenFromUrlSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    static readonly NpmProject Codegen = CodegenProject.Codegen;

    [NpmFact]
    public async Task Code_generated_from_the_served_URL_equals_code_generated_from_schema_graphql()
    {
        await Codegen.EnsureInstalledAsync();
        // Relative to the codegen project, as the generated imports between files are.
        var output = Path.Combine("generated", $"from-url-spec-{Guid.NewGuid():N}");
        try
        {
            var fromFile = Path.Combine(output, "file");
            var fromUrl = Path.Combine(output, "url");

            var file = await Codegen.RunNpmScriptAsync("generate", environment: new Dictionary<string, string> { ["CODEGEN_OUTPUT"] = fromFile });
            var url = await Codegen.RunNpmScriptAsync("generate", environment: new Dictionary<string, string>
            {
                ["CODEGEN_OUTPUT"] = fromUrl,
                ["CARTGRAPH_URL"] = api.GraphQL.ToString(),
                ["CARTGRAPH_TOKEN"] = TestTokens.For("codegen"),
            });

            Assert.True(file.Exit == 0, $"codegen from schema.graphql failed:\n{file.Output}\n{file.Errors}");
            Assert.True(url.Exit == 0, $"codegen from {api.GraphQL} failed:\n{url.Output}\n{url.Errors}");
            var generated = Directory.GetFiles(Path.Combine(Codegen.Directory, fromFile)).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(["graphql.ts", "schema.ts"], generated);
            Assert.Equal(generated, Directory.GetFiles(Path.Combine(Codegen.Directory, fromUrl)).Select(Path.GetFileName).Order().ToList());
            foreach (var name in generated)
                Assert.Equal(
                    await File.ReadAllTextAsync(Path.Combine(Codegen.Directory, fromFile, name!)),
                    await File.ReadAllTextAsync(Path.Combine(Codegen.Directory, fromUrl, name!)));
        }
        finally
        {
            if (Directory.Exists(Path.Combine(Codegen.Directory, output))) Directory.Delete(Path.Combine(Codegen.Directory, output), recursive: true);
        }
    }
}
