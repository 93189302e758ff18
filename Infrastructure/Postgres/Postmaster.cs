using System.Diagnostics;
using System.Globalization;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>What <c>postmaster.pid</c> in a data directory says about the server using it.</summary>
public sealed record Postmaster(int Pid, int Port)
{
    public static string PidFile(string dataDirectory) => Path.Combine(dataDirectory, "postmaster.pid");

    /// <summary>Line 1 is the pid and line 4 the port (PostgreSQL's documented lock-file layout).</summary>
    public static Postmaster? Read(string dataDirectory)
    {
        try
        {
            var lines = File.ReadAllLines(PidFile(dataDirectory));
            return lines.Length >= 4
                && int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid)
                && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port)
                ? new Postmaster(pid, port)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when the pid is a live postgres process, not a stale file, a reused pid or a zombie.</summary>
    public bool IsAlive()
    {
        if (OperatingSystem.IsLinux()) return IsAliveOnLinux();
        try
        {
            using var process = Process.GetProcessById(Pid);
            return !process.HasExited && IsPostgres(process.ProcessName);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    // NOTE: a stopped postmaster stays a zombie until its new parent reaps it (pg_ctl has exited), and the
    // Process class counts a zombie as running; /proc/PID/stat reads "PID (comm) STATE ...".
    bool IsAliveOnLinux()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            return open >= 0 && close > open && close + 2 < stat.Length
                && IsPostgres(stat[(open + 1)..close]) && stat[close + 2] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static bool IsPostgres(string name) => name is "postgres" or "postmaster";

    /// <summary>Last resort after pg_ctl failed: SIGKILL the postmaster (its children exit on their own).</summary>
    public void Kill()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // already gone
        }
    }
}
