using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CartGraph.Infrastructure.Postgres;

namespace CartGraph.Benchmarks;

/// <summary>
/// The API in a process of its own, as an operator runs it (<c>dotnet CartGraph.Api.dll</c>, configured through the
/// environment), so that what is measured of it (heap, RSS) is the server's alone. Disposing stops it (SIGTERM).
/// </summary>
public sealed class ApiServerProcess : IAsyncDisposable
{
    /// <summary>The Api assembly is in this program's output: Benchmarks references Api.</summary>
    private static readonly string ApiAssembly = Path.Combine(AppContext.BaseDirectory, "CartGraph.Api.dll");

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private int outOfMemory;

    private ApiServerProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>What the server wrote, the last 200 lines: its logs are at Warning and above here.</summary>
    public IReadOnlyCollection<string> Output => output;

    /// <summary>Lines of its output that name an <see cref="OutOfMemoryException"/>, over its whole life.</summary>
    public int OutOfMemoryReports => Volatile.Read(ref outOfMemory);

    /// <summary>The process's resident set, from /proc; 0 once it has exited.</summary>
    public long ResidentBytes =>
        !HasExited && File.Exists($"/proc/{process.Id}/status")
        && File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024
            : 0;

    /// <summary>Starts the API on a free loopback port with <paramref name="environment"/> and waits until it is ready.</summary>
    public static async Task<ApiServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = FreeLoopbackPort.Pick();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { ApiAssembly, "--urls", $"http://127.0.0.1:{port}" },
        };
        InlineSocketCompletions.KeepFrom(start.Environment);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_CONTENTROOT"] = AppContext.BaseDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var server = new ApiServerProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    private async Task WaitUntilReadyAsync(TimeSpan patience)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited) throw new InvalidOperationException($"The API exited with {ExitCode}:\n{string.Join('\n', Output)}");
            try
            {
                using var ready = await probe.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The API was not ready after {patience.TotalSeconds:0} s:\n{string.Join('\n', Output)}");
    }

    private void Keep(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        if (line.Contains(nameof(OutOfMemoryException), StringComparison.Ordinal)) Interlocked.Increment(ref outOfMemory);
        output.Enqueue(line);
        while (output.Count > 200) output.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }
}
