using System.Globalization;
using Npgsql;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// CPU time and resident memory of processes on this machine, from /proc: the API's process, and every process of the
/// PostgreSQL cluster under test (the postmaster and its children: backends, checkpointer, autovacuum, WAL writer).
/// </summary>
/// <remarks>NOTE: PostgreSQL's processes are found as the children of the postmaster of a backend of ours, so the cluster
/// must run on this machine (the embedded one does; with a remote --connection these figures are not measured).</remarks>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The cluster's processes: the postmaster of this connection's backend, and its children.</summary>
    public static async Task<IReadOnlyList<int>> PostgresProcessesAsync(NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand("SELECT pg_backend_pid()");
        var backend = (int)(await command.ExecuteScalarAsync())!;
        var postmaster = ParentOf(backend);
        if (postmaster is null) return [];
        var children = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == postmaster);
        return [postmaster.Value, .. children];
    }

    /// <summary>CPU seconds (user and system) the processes used so far; processes gone meanwhile count as 0.</summary>
    public static double CpuSeconds(IEnumerable<int> pids) => pids.Sum(pid =>
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat is null) return 0;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    });

    /// <summary>The sum of the processes' resident sets, in MB (shared memory a process touched counts in each).</summary>
    public static double ResidentMegabytes(IEnumerable<int> pids) => pids.Sum(pid =>
        Read($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0
            : 0);

    /// <summary>% of one core that the processes used over <paramref name="window"/>; the set is read again at the end.</summary>
    public static async Task<double> IdlePercentAsync(Func<Task<IReadOnlyList<int>>> processes, TimeSpan window)
    {
        var before = (await processes()).ToDictionary(pid => pid, pid => CpuSeconds([pid]));
        await Task.Delay(window);
        // A process that started during the window counts from 0; one that ended took its time with it.
        var used = (await processes()).Sum(pid => CpuSeconds([pid]) - before.GetValueOrDefault(pid));
        return 100 * used / window.TotalSeconds;
    }

    private static int? ParentOf(int pid) =>
        Read($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal)) is { } line
            ? int.Parse(line[5..].Trim(), CultureInfo.InvariantCulture)
            : null;

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
