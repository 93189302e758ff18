using System.Runtime.CompilerServices;

namespace CartGraph.Tests.Api.Transport;

/// <summary>The pinned npm project beside this file (js/), holding the graphql-ws reference client.</summary>
public static class NodeProject
{
    public static readonly NpmProject Project = new(Path.Combine(SourceDirectory(), "js"));

    static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
