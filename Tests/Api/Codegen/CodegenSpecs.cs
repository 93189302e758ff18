using System.Text.RegularExpressions;

namespace CartGraph.Tests.Api.Codegen;

/// <summary>
/// The frontend teams' code generation (scripts/codegen), exactly as they and CI run it: GraphQL Code Generator
/// types the operations of Api/Operations against schema.graphql, and tsc compiles a typed client sample strictly.
/// </summary>
public sealed partial class CodegenSpecs
{
    static readonly string Root = CodegenProject.Root;
    static readonly NpmProject Codegen = CodegenProject.Codegen;

    [NpmFact]
    public async Task The_operations_generate_typed_documents_and_the_client_sample_compiles()
    {
        await Codegen.EnsureInstalledAsync();

        var check = await Codegen.RunNpmScriptAsync("check");

        Assert.True(check.Exit == 0, $"npm run check failed in {Codegen.Directory}:\n{check.Output}\n{check.Errors}");
        var generated = await File.ReadAllTextAsync(Path.Combine(Codegen.Directory, "generated", "graphql.ts"));
        foreach (var operation in OperationNames())
            Assert.Contains($"export const {operation}Document", generated);
    }

    [NpmFact]
    public async Task A_schema_change_that_breaks_an_operation_fails_with_the_code_generators_message()
    {
        await Codegen.EnsureInstalledAsync();
        var copy = Directory.CreateTempSubdirectory("cartgraph-codegen-");
        try
        {
            var project = CodegenProject.CopyTo(copy.FullName, schema =>
            {
                const string field = "  lineTotal: Decimal!";
                Assert.Contains(field, schema); // the change below must still be a change
                return schema.Replace(field, "  lineAmount: Decimal!", StringComparison.Ordinal);
            });

            var check = await project.RunNpmScriptAsync("check");

            var said = check.Output + check.Errors;
            Assert.True(check.Exit != 0, $"the check passed on a schema without CartItem.lineTotal:\n{said}");
            Assert.Contains("GraphQL Document Validation failed", said);
            Assert.Contains("Cannot query field \"lineTotal\" on type \"CartItem\"", said);
            Assert.Contains(Path.Combine("Api", "Operations", "CartFields.graphql"), said);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [NpmFact]
    public async Task A_schema_in_which_Relay_cannot_refetch_a_cart_by_its_id_fails_with_relay_compilers_message()
    {
        await Codegen.EnsureInstalledAsync();
        var copy = Directory.CreateTempSubdirectory("cartgraph-codegen-");
        try
        {
            // The same schema with Node renamed: still valid, still fine for the operations, but not Relay's Node.
            var project = CodegenProject.CopyTo(copy.FullName, schema =>
            {
                Assert.Contains("interface Node {", schema);
                return schema.Replace("interface Node {", "interface Entity {", StringComparison.Ordinal)
                    .Replace("implements Node", "implements Entity", StringComparison.Ordinal)
                    .Replace("): Node\n", "): Entity\n", StringComparison.Ordinal)
                    .Replace("[Node]!", "[Entity]!", StringComparison.Ordinal);
            });

            var check = await project.RunNpmScriptAsync("check");

            var said = check.Output + check.Errors;
            Assert.True(check.Exit != 0, $"the check passed on a schema without Relay's Node:\n{said}");
            Assert.Contains("Invalid use of @refetchable on fragment 'CartNode_cart'", said);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    /// <summary>The name of every operation in Api/Operations (fragments aside).</summary>
    static IEnumerable<string> OperationNames() =>
        Directory.GetFiles(Path.Combine(Root, "Api", "Operations"), "*.graphql")
            .SelectMany(file => Operation().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value));

    [GeneratedRegex(@"^(?:query|mutation|subscription)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex Operation();
}
