using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// HTTP load from wrk (a C load generator) when it is installed: on two cores a .NET client takes about half
/// of the CPU away from the server it measures, so the server's own figure needs a lighter client.
/// </summary>
internal static partial class Wrk
{
    /// <param name="Output">What wrk printed, with what the script's <c>done</c> wrote.</param>
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, long Requests, string Output);

    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "wrk")).FirstOrDefault(File.Exists);

    /// <summary>
    /// Warm-up rounds of the same load, unmeasured: at least <see cref="MinWarmUpRounds"/>, then until a round is less
    /// than 5 % faster than the best before it. A server just started runs first-tier JIT code and compiles the
    /// optimized tier in the background, which on two loaded cores took about 30 s, in steps; measured too early, the
    /// mutation rate was under half the steady one.
    /// </summary>
    public static readonly TimeSpan WarmUpRound = TimeSpan.FromSeconds(5);

    public const int MinWarmUpRounds = 6;
    public const int MaxWarmUpRounds = 12;

    /// <summary>Runs <paramref name="luaScript"/> against <paramref name="url"/> on 2 threads, once warmed up.</summary>
    public static async Task<Result> RunAsync(string wrk, Uri url, string luaScript, int connections, TimeSpan duration)
    {
        await WarmUpAsync(wrk, url, luaScript, connections);
        return await RunOnceAsync(wrk, url, luaScript, connections, duration);
    }

    public static async Task WarmUpAsync(string wrk, Uri url, string luaScript, int connections)
    {
        var previous = 0d; // the best round so far
        for (var round = 1; round <= MaxWarmUpRounds; round++)
        {
            var rate = (await RunOnceAsync(wrk, url, luaScript, connections, WarmUpRound)).RequestsPerSecond;
            Progress.Say($"    warm-up round {round}: {rate:N0} req/s");
            if (round >= MinWarmUpRounds && rate < previous * 1.05) break;
            previous = Math.Max(previous, rate);
        }
    }

    /// <summary>One run of <paramref name="duration"/>, no warm-up.</summary>
    public static async Task<Result> RunOnceAsync(string wrk, Uri url, string luaScript, int connections, TimeSpan duration)
    {
        await using var run = await StartAsync(wrk, url, luaScript, connections, duration);
        return await run.ResultAsync();
    }

    /// <summary>wrk in the background for at most <paramref name="duration"/>; <see cref="Running.StopAsync"/> ends it sooner.</summary>
    public static async Task<Running> StartAsync(string wrk, Uri url, string luaScript, int connections, TimeSpan duration)
    {
        var script = Path.Combine(Path.GetTempPath(), $"cartgraph-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, luaScript);
        var start = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, url.ToString() },
        };
        return new Running(Process.Start(start)!, script);
    }

    /// <summary>A wrk process: it reports when its duration ends, or at once when interrupted (SIGINT).</summary>
    public sealed class Running(Process process, string script) : IAsyncDisposable
    {
        private readonly Task<string> output = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> errors = process.StandardError.ReadToEndAsync();

        public async Task<Result> StopAsync()
        {
            if (!process.HasExited)
                using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
                    await interrupt.WaitForExitAsync();
            return await ResultAsync();
        }

        public async Task<Result> ResultAsync()
        {
            var text = await output;
            await process.WaitForExitAsync();
            var rate = RequestsPerSecond().Match(text);
            if (process.ExitCode != 0 || !rate.Success) throw new InvalidOperationException($"wrk failed: {text}{await errors}");
            var failed = NonSuccess().Match(text) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var requests = Total().Match(text) is { Success: true } t ? long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return new Result(Parse(rate.Groups[1].Value), Percentile(text, "50"), Percentile(text, "99"), failed, requests, text);
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            File.Delete(script);
        }
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success) return double.NaN;
        var value = Parse(match.Groups[1].Value);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"([0-9]+) requests in ")]
    private static partial Regex Total();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex NonSuccess();
}
