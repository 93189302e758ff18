using System.Runtime.CompilerServices;

namespace CartGraph.Tests.Api.Codegen;

/// <summary>The repository's codegen project (scripts/codegen), and copies of it with another schema or other operations.</summary>
public static class CodegenProject
{
    public static readonly string Root = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", ".."));

    public static readonly NpmProject Codegen = new(Path.Combine(Root, "scripts", "codegen"));

    /// <summary>The repository's layout under <paramref name="root"/>: the codegen project (its node_modules linked, not
    /// copied), schema.graphql as <paramref name="changeSchema"/> makes it, and the operations of Api/Operations, or
    /// <paramref name="operations"/> (file name to text) instead.</summary>
    public static NpmProject CopyTo(string root, Func<string, string>? changeSchema = null, IReadOnlyDictionary<string, string>? operations = null)
    {
        var operationsFolder = Directory.CreateDirectory(Path.Combine(root, "Api", "Operations"));
        if (operations is null)
            foreach (var file in Directory.GetFiles(Path.Combine(Root, "Api", "Operations"), "*.graphql"))
                File.Copy(file, Path.Combine(operationsFolder.FullName, Path.GetFileName(file)));
        else
            foreach (var (name, text) in operations)
                File.WriteAllText(Path.Combine(operationsFolder.FullName, name), text);
        var schema = File.ReadAllText(Path.Combine(Root, "schema.graphql"));
        File.WriteAllText(Path.Combine(root, "schema.graphql"), changeSchema is null ? schema : changeSchema(schema));

        var codegen = Directory.CreateDirectory(Path.Combine(root, "scripts", "codegen"));
        foreach (var file in new[] { "package.json", "codegen.ts", "tsconfig.json", "relay.config.json" })
            File.Copy(Path.Combine(Codegen.Directory, file), Path.Combine(codegen.FullName, file));
        foreach (var folder in new[] { "sample", "relay" })
        {
            var copied = Directory.CreateDirectory(Path.Combine(codegen.FullName, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(Codegen.Directory, folder)))
                File.Copy(file, Path.Combine(copied.FullName, Path.GetFileName(file)));
        }
        Directory.CreateSymbolicLink(Path.Combine(codegen.FullName, "node_modules"), Path.Combine(Codegen.Directory, "node_modules"));
        return new NpmProject(codegen.FullName);
    }

    static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
