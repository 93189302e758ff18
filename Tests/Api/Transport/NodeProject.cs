using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CartGraph.Tests.Api.Transport;

/// <summary>The pinned npm project beside this file (js/): installed once with <c>npm ci</c>, its scripts run with node.</summary>
public static class NodeProject
{
    public static readonly string Directory = Path.Combine(SourceDirectory(), "js");

    static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>Why the node tests cannot run here, or null when node and npm are on the PATH.</summary>
    public static string? Missing { get; } =
        OnPath("node") && OnPath("npm") ? null : "node and npm are not on the PATH (apt-get install nodejs npm); the graphql-ws conformance test needs them";

    /// <summary>Runs <c>npm ci</c> unless an install newer than package-lock.json is there (CI's, or an earlier run's).</summary>
    /// <remarks>NOTE: npm writes node_modules/.package-lock.json on every install; being newer than the lock file is
    /// the same test npm itself trusts.</remarks>
    public static async Task EnsureInstalledAsync()
    {
        var installed = new FileInfo(Path.Combine(Directory, "node_modules", ".package-lock.json"));
        var pinned = new FileInfo(Path.Combine(Directory, "package-lock.json"));
        await Installing.WaitAsync();
        try
        {
            installed.Refresh();
            if (installed.Exists && installed.LastWriteTimeUtc >= pinned.LastWriteTimeUtc) return;
            var (exit, output, errors) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, $"npm ci failed in {Directory}:\n{output}\n{errors}");
        }
        finally
        {
            Installing.Release();
        }
    }

    public static Task<(int Exit, string Output, string Errors)> RunScriptAsync(string script, params string[] arguments) =>
        RunAsync("node", [script, .. arguments], TimeSpan.FromSeconds(30));

    static async Task<(int Exit, string Output, string Errors)> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan patience)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} ran past {patience}");
        }
        return (process.ExitCode, await output, await errors);
    }

    static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(directory => File.Exists(Path.Combine(directory, program)));

    static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

/// <summary>A fact that is skipped, saying why, where node or npm is missing.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (NodeProject.Missing is { } reason) Skip = reason;
    }
}
