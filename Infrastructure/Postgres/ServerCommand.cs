using System.ComponentModel;
using System.Diagnostics;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>What a finished command printed (stdout then stderr) and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last non-empty line, for one-line error messages.</summary>
    public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .LastOrDefault() ?? $"exit code {ExitCode}";
}

/// <summary>Runs a program, as the server account when that differs from ours.</summary>
public static class ServerCommand
{
    /// <summary>Runs <paramref name="program"/> to its end; <paramref name="input"/>, if any, is its standard input.</summary>
    public static async Task<CommandResult> RunAsync(
        ServerAccount account, string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken ct, string? input = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = account.SwitchTo is null ? program : RunUser,
            // NOTE: initdb and pg_ctl fail when they cannot read the current directory (e.g. /root as postgres).
            WorkingDirectory = "/",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (account.SwitchTo is { } user)
            foreach (var a in new[] { "-u", user, "--", program }) start.ArgumentList.Add(a);
        foreach (var a in arguments) start.ArgumentList.Add(a);

        using var process = StartOrExplain(start, account);
        // NOTE: standard input rather than an argument or a file, which another account could read.
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        // Read both pipes concurrently so neither can fill up and block the child.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new LocalPostgresException($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:0} s");
        }
        return new CommandResult(process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    static Process StartOrExplain(ProcessStartInfo start, ServerAccount account)
    {
        try
        {
            return Process.Start(start) ?? throw new LocalPostgresException($"could not start {start.FileName}");
        }
        catch (Win32Exception e)
        {
            throw new LocalPostgresException(account.SwitchTo is null
                ? $"could not run {start.FileName}: {e.Message}"
                : $"could not run {start.FileName} to act as the '{account.SwitchTo}' OS user: {e.Message} (install util-linux)", e);
        }
    }

    static string RunUser { get; } =
        new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";
}
