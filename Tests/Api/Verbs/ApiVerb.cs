using System.Diagnostics;

namespace CartGraph.Tests.Api.Verbs;

/// <summary>What a verb of the Api program did: its exit code and what it wrote.</summary>
public sealed record VerbRun(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";
}

/// <summary>
/// A verb of the Api program as an operator runs it: <c>dotnet CartGraph.Api.dll VERB ...</c>, a process of its own, with
/// the connection string in the environment. Killed when it runs past its patience.
/// </summary>
public static class ApiVerb
{
    private static readonly string ApiAssembly = Path.Combine(AppContext.BaseDirectory, "CartGraph.Api.dll");

    public static async Task<VerbRun> RunAsync(string connectionString, TimeSpan patience, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ApiAssembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["ConnectionStrings__EventStore"] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the verb did not start");
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
            Assert.Fail($"`{string.Join(' ', arguments)}` still ran after {patience.TotalSeconds:0} s.\n{new VerbRun(-1, await output, await errors)}");
        }
        return new VerbRun(process.ExitCode, await output, await errors);
    }
}
