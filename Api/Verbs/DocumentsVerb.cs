using CartGraph.Api.GraphQL.Documents;

namespace CartGraph.Api.Verbs;

/// <summary><c>documents export</c>: prints the trusted documents manifest, <c>{ "sha256:&lt;hex&gt;": "&lt;document&gt;" }</c>.</summary>
public static class DocumentsVerb
{
    public static int Run(string[] args)
    {
        if (args.Length < 2 || args[1] != "export")
        {
            Console.Error.WriteLine("usage: documents export");
            return 2;
        }
        Console.WriteLine(OperationManifest.ToJson());
        return 0;
    }
}
