using System.Collections.Concurrent;
using System.Diagnostics;

namespace CartGraph.Tests;

/// <summary>
/// A pinned npm project in the test tree (package.json + package-lock.json, no node_modules committed):
/// installed once with <c>npm ci</c>, its scripts run with node under a deadline.
/// </summary>
public sealed class NpmProject(string directory)
{
    static readonly ConcurrentDictionary<string, SemaphoreSlim> Installing = new();

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Why node scripts cannot run here, or null when node and npm are on the PATH.</summary>
    public static string? Missing { get; } =
        OnPath("node") && OnPath("npm") ? null : "node and npm are not on the PATH (apt-get install nodejs npm)";

    /// <summary>What a finished process printed.</summary>
    public sealed record Run(int Exit, string Output, string Errors, TimeSpan Took);

    /// <summary>
    /// Runs <c>npm ci</c> unless an install newer than package-lock.json is there (CI's, or an earlier run's).
    /// Returns how long it took (zero when nothing was installed).
    /// </summary>
    /// <remarks>NOTE: npm writes node_modules/.package-lock.json on every install; being newer than the lock file is
    /// the same test npm itself trusts.</remarks>
    public async Task<TimeSpan> EnsureInstalledAsync(TimeSpan? patience = null)
    {
        var installing = Installing.GetOrAdd(Directory, _ => new SemaphoreSlim(1, 1));
        await installing.WaitAsync();
        try
        {
            var installed = new FileInfo(Path.Combine(Directory, "node_modules", ".package-lock.json"));
            var pinned = new FileInfo(Path.Combine(Directory, "package-lock.json"));
            if (installed.Exists && installed.LastWriteTimeUtc >= pinned.LastWriteTimeUtc) return TimeSpan.Zero;
            var run = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], patience ?? TimeSpan.FromMinutes(5));
            Assert.True(run.Exit == 0, $"npm ci failed in {Directory}:\n{run.Output}\n{run.Errors}");
            return run.Took;
        }
        finally
        {
            installing.Release();
        }
    }

    /// <summary>Runs <c>node script arguments...</c> in the project's directory.</summary>
    public Task<Run> RunScriptAsync(
        string script, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? patience = null) =>
        RunAsync("node", [script, .. arguments], patience ?? TimeSpan.FromSeconds(60), environment);

    /// <summary>Runs <c>npm run --silent script</c> in the project's directory: a script of its package.json.</summary>
    public Task<Run> RunNpmScriptAsync(string script, TimeSpan? patience = null, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync("npm", ["run", "--silent", script], patience ?? TimeSpan.FromMinutes(2), environment);

    /// <summary>Runs a program to its end; past <paramref name="patience"/> kills it and fails with what it wrote to stderr.</summary>
    async Task<Run> RunAsync(
        string program, IReadOnlyList<string> arguments, TimeSpan patience, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.StandardInput.Close();
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
            await process.WaitForExitAsync();
            Assert.Fail($"{program} {arguments.FirstOrDefault()} ran past {patience} and was killed; its stderr:\n{await errors}");
        }
        return new Run(process.ExitCode, await output, await errors, clock.Elapsed);
    }

    static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(directory => File.Exists(Path.Combine(directory, program)));
}

/// <summary>A fact that is skipped, saying why, where node or npm is missing.</summary>
public sealed class NpmFactAttribute : FactAttribute
{
    public NpmFactAttribute()
    {
        if (NpmProject.Missing is { } reason) Skip = reason;
    }
}
