using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CartGraph.Infrastructure.Postgres;
using CartGraph.Tests.Api;

namespace CartGraph.Tests.Resilience;

/// <summary>
/// The API as an operator runs it: <c>dotnet CartGraph.Api.dll --urls ...</c>, a process of its own, configured through
/// environment variables, ready once <c>/health/ready</c> says so. It can be killed (SIGKILL) or asked to stop (SIGTERM);
/// disposing kills whatever is still running, so a failed spec leaves no process behind.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    /// <summary>The Api assembly is in the test output: Tests references Api.</summary>
    private static readonly string ApiAssembly = Path.Combine(AppContext.BaseDirectory, "CartGraph.Api.dll");

    /// <summary>Fast ownership rounds: a processor moves to a survivor within a fraction of a second.</summary>
    public static readonly TimeSpan OwnershipInterval = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ApiProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        this.process = process;
        BaseAddress = baseAddress;
        Http = TestTokens.ClientFor(baseAddress);
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => process.Id;

    public Uri BaseAddress { get; }

    public Uri WebSocket => new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri;

    /// <summary>Carries a token for exactly the tenants a request's variables name (see <see cref="TestTokens"/>).</summary>
    public HttpClient Http { get; }

    public bool HasExited => process.HasExited;

    /// <summary>What the process wrote lately, for failure messages.</summary>
    public string Log => $"--- {Name} (pid {process.Id}) ---\n" + string.Join('\n', output);

    /// <summary>Starts an instance on <paramref name="connectionString"/> and waits until it is ready.</summary>
    public static Task<ApiProcess> StartAsync(
        string name, string connectionString, IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(name, new Launching(connectionString, settings ?? new Dictionary<string, string>(), AppContext.BaseDirectory, OsUser: null));

    /// <summary>
    /// Starts an instance with no connection string, so on its embedded cluster under <paramref name="workingDirectory"/>
    /// <c>/.data</c>, run by <paramref name="osUser"/> (and its group of the same name, with that directory as its home) or by us.
    /// </summary>
    public static Task<ApiProcess> StartEmbeddedAsync(string name, string workingDirectory, string? osUser) =>
        StartAsync(name, new Launching(null, new Dictionary<string, string>(), workingDirectory, osUser));

    /// <summary>How an instance is launched: its database (none: the embedded cluster), settings, directory and OS user.</summary>
    private sealed record Launching(string? ConnectionString, IReadOnlyDictionary<string, string> Settings, string WorkingDirectory, string? OsUser);

    private static async Task<ApiProcess> StartAsync(string name, Launching launching)
    {
        // A port picked free can be taken before the server binds it: then another, twice at most.
        for (var attempt = 1; ; attempt++)
        {
            var api = Launch(name, launching, FreeLoopbackPort.Pick());
            try
            {
                await api.WaitUntilReadyAsync(StartPatience);
                return api;
            }
            catch (Exception) when (attempt < 3 && api.HasExited && api.Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await api.DisposeAsync();
            }
            catch
            {
                await api.DisposeAsync();
                throw;
            }
        }
    }

    private static ApiProcess Launch(string name, Launching launching, int port)
    {
        var process = Process.Start(StartInfo(launching, ["--urls", $"http://127.0.0.1:{port}"])) ?? throw new InvalidOperationException($"{name} did not start");
        process.StandardInput.Close();
        return new ApiProcess(name, process, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Runs a verb (<c>migrate</c>, <c>rebuild</c>, ...) of the Api program on the embedded cluster, as <see cref="StartEmbeddedAsync"/> runs the server.</summary>
    public static async Task<CommandResult> RunEmbeddedVerbAsync(string workingDirectory, string? osUser, params string[] verb)
    {
        using var process = Process.Start(StartInfo(new Launching(null, new Dictionary<string, string>(), workingDirectory, osUser), verb))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartPatience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{string.Join(' ', verb)} still runs {StartPatience.TotalSeconds:0} s later.\n{await stdout}{await stderr}");
        }
        return new CommandResult(process.ExitCode, (await stdout) + (await stderr));
    }

    private static ProcessStartInfo StartInfo(Launching launching, string[] arguments)
    {
        var start = new ProcessStartInfo
        {
            WorkingDirectory = launching.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        string[] command = [dotnet, ApiAssembly, .. arguments];
        // NOTE: setpriv execs the program itself (runuser would stay its parent), so signals and exit codes are the API's own.
        if (launching.OsUser is { } user)
            command = ["setpriv", $"--reuid={user}", $"--regid={user}", "--init-groups", "env", $"HOME={launching.WorkingDirectory}", .. command];
        start.FileName = command[0];
        foreach (var argument in command[1..]) start.ArgumentList.Add(argument);
        start.Environment.Remove("ConnectionStrings__EventStore");
        var environment = new Dictionary<string, string>
        {
            ["Auth__SigningKey"] = TestTokens.SigningKey,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Projections__OwnershipInterval"] = OwnershipInterval.ToString(),
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        };
        if (launching.ConnectionString is { } connectionString) environment["ConnectionStrings__EventStore"] = connectionString;
        foreach (var (key, value) in launching.Settings) environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; fails with the log when the process exits or time runs out.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        var last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited) throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before it was ready.\n{Log}");
            try
            {
                var readiness = await ReadinessAsync();
                if (readiness.IsReady) return;
                last = readiness.ToString();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} was not ready after {patience.TotalSeconds:0} s (last: {last}).\n{Log}");
    }

    /// <summary>What <c>/health/ready</c> says now.</summary>
    public async Task<Readiness> ReadinessAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var response = await probe.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();
        return new Readiness(response.StatusCode, JsonNode.Parse(body)!);
    }

    /// <summary>kill -9 of the whole process tree: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: the host shuts down gracefully.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -TERM {process.Id} failed with {kill.ExitCode}");
    }

    /// <summary>The exit code, once the process has exited; fails with the log when it runs past <paramref name="patience"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Name} still runs {patience.TotalSeconds:0} s later.\n{Log}");
        }
        return process.ExitCode;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > 300) output.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Gone already, or past saving: nothing more to stop.
        }
        process.Dispose();
    }
}

/// <summary>What <c>/health/ready</c> answered: the status code and its JSON (status, and per check its status and data).</summary>
public sealed record Readiness(HttpStatusCode Status, JsonNode Body)
{
    public bool IsReady => Status == HttpStatusCode.OK;

    public string? CheckStatus(string check) => (string?)Body["checks"]?[check]?["status"];

    /// <summary>The (projection/tenant) processors this instance runs, from the processors check's data.</summary>
    public IReadOnlyCollection<string> Processors =>
        Body["checks"]?["processors"]?["data"] is JsonObject data ? data.Select(p => p.Key).ToList() : [];

    public override string ToString() => $"{(int)Status} {Body.ToJsonString()}";
}
