using System.Diagnostics;
using System.Text.Json;
using CartGraph.Api.GraphQL.Documents;

namespace CartGraph.Tests.Api.Codegen;

/// <summary>
/// The API's trusted documents carry the ids GraphQL Code Generator gives them (client preset, persistedDocuments with
/// sha256): a frontend built with the generator sends ids the server knows. Compared with the generator's own output.
/// </summary>
public sealed class PersistedDocumentsCodegenSpecs
{
    static readonly NpmProject Codegen = CodegenProject.Codegen;

    /// <summary>Every construct the stable print orders or lays out: variables, aliases, directives, inline fragments (at
    /// a mutation's root, whose order stays), white space inside a string, a block string, arguments past 80 characters,
    /// defaults.</summary>
    /// <remarks>NOTE: no escape sequence in a string: the generator (7.4) doubles the backslash of <c>\</c> and <c>	</c>
    /// in the documents it persists, and fails to parse <c>"</c>, so such a document has no id to agree on.</remarks>
    const string Tricky = """"
        mutation Tricky($z: Boolean = true, $input: AddItemToCartInput!, $a: ID! = "t") {
          second: addItemToCart(input: $input) @include(if: $z) {
            version
            errors { ... on Error @skip(if: false) @include(if: true) { message code } __typename }
            cart { total cartId ...Lines }
          }
          first: emptyCart(input: {tenantId: $a, cartId: "c  1 é", expectedVersion: 3}) { version }
          ... on Mutation { archiveCart(input: {tenantId: "t", cartId: """a "block" string"""}) { version errors { __typename } } }
        }

        query LongArguments($tenantId: ID!, $statuses: CartStatus = ACTIVE) {
          carts(tenantId: $tenantId, first: 10, after: "a-cursor-long-enough-to-push-the-line-past-eighty-characters", status: $statuses) {
            nodes { ... on Cart { version cartId } ... on Cart { cartId } ...Lines }
            pageInfo { hasNextPage }
          }
          b: __typename
          a: __typename
        }

        fragment Lines on Cart { items { sku quantity } }
        """";

    [NpmFact]
    public async Task Documents_export_prints_the_ids_and_texts_of_the_generators_persisted_documents()
    {
        await Codegen.EnsureInstalledAsync();
        var output = Path.Combine("generated", $"persisted-spec-{Guid.NewGuid():N}");
        try
        {
            var generate = await Codegen.RunNpmScriptAsync("generate", environment: new Dictionary<string, string> { ["CODEGEN_OUTPUT"] = output });
            Assert.True(generate.Exit == 0, $"codegen failed:\n{generate.Output}\n{generate.Errors}");

            var exported = await ExportAsync();

            var generated = Read(await File.ReadAllTextAsync(Path.Combine(Codegen.Directory, output, "client", "persisted-documents.json")));
            Assert.Equal(generated.Count, exported.Count);
            Assert.Equal(generated, exported); // same ids, same texts
        }
        finally
        {
            if (Directory.Exists(Path.Combine(Codegen.Directory, output))) Directory.Delete(Path.Combine(Codegen.Directory, output), recursive: true);
        }
    }

    [NpmFact]
    public async Task The_stable_print_matches_the_generators_on_every_construct()
    {
        await Codegen.EnsureInstalledAsync();
        var copy = Directory.CreateTempSubdirectory("cartgraph-persisted-");
        try
        {
            var project = CodegenProject.CopyTo(copy.FullName, operations: new Dictionary<string, string> { ["Tricky.graphql"] = Tricky });

            var generate = await project.RunNpmScriptAsync("generate");

            Assert.True(generate.Exit == 0, $"codegen failed:\n{generate.Output}\n{generate.Errors}");
            var generated = Read(await File.ReadAllTextAsync(Path.Combine(project.Directory, "generated", "client", "persisted-documents.json")));
            var printed = OperationManifest.From([Tricky]);
            Assert.Equal(2, generated.Count);
            foreach (var operation in new[] { "mutation Tricky(", "query LongArguments(" }) // the texts first: a difference shows where
                Assert.Equal(generated.Values.Single(t => t.Contains(operation)), printed.Values.Single(t => t.Contains(operation)));
            Assert.Equal(generated, printed.ToDictionary());
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    static Dictionary<string, string> Read(string json) => JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;

    /// <summary>Runs the built Api's verb, as a user does: <c>CartGraph.Api documents export</c>.</summary>
    static async Task<Dictionary<string, string>> ExportAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "CartGraph.Api.dll"), "documents", "export" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(patience.Token);
        Assert.True(process.ExitCode == 0, $"documents export exited {process.ExitCode}:\n{await errors}");
        return Read(await output);
    }
}
