using CartGraph.Infrastructure.Postgres;

namespace CartGraph.Tests.Integration.Postgres;

/// <summary>The machine's psql client, run as a given OS user as an attacker or an operator would run it.</summary>
public static class Psql
{
    static readonly string Program = Path.Combine(PostgresBinaries.Locate().BinDirectory, "psql");

    /// <summary>Another OS user of the machine, with no business in our clusters.</summary>
    public static readonly ServerAccount Intruder = new("nobody");

    /// <summary>
    /// <c>SELECT current_user</c> through <paramref name="conninfo"/> as <paramref name="who"/>; never prompts for a
    /// password (<c>-w</c>) and reads no psqlrc (<c>-X</c>).
    /// </summary>
    public static Task<CommandResult> AsAsync(ServerAccount who, string conninfo) =>
        ServerCommand.RunAsync(
            who, Program, ["-X", "-w", "-A", "-t", "-c", "SELECT current_user", conninfo], TimeSpan.FromSeconds(20), CancellationToken.None);

    /// <summary>
    /// What an intruder tries on every host: loopback TCP by address and by name, IPv6 loopback and each socket directory,
    /// without a password and with the cluster's password file, which it must not be able to read.
    /// </summary>
    public static async Task AssertIntruderRefusedAsync(IEnumerable<string> hosts, int port, string passwordFile, Action<string> log)
    {
        foreach (var host in hosts.Concat(["127.0.0.1", "localhost", "::1"]).Distinct())
        foreach (var conninfo in new[] { Conninfo(host, port), Conninfo(host, port, $"passfile={passwordFile}") })
        {
            var attempt = await AsAsync(Intruder, conninfo);
            log($"{Intruder.SwitchTo}: {conninfo}: exit {attempt.ExitCode}: {attempt.Output.ReplaceLineEndings(" ")}");
            Assert.False(attempt.Succeeded, $"{Intruder.SwitchTo} connected with {conninfo}: {attempt.Output}");
        }
    }

    /// <summary>A libpq connection string: <c>host=... port=... user=... dbname=...</c> and any extra <c>key=value</c>.</summary>
    public static string Conninfo(string host, int port, params string[] extra) =>
        string.Join(' ', new[] { $"host={host}", $"port={port}", "user=postgres", "dbname=postgres", "connect_timeout=5" }.Concat(extra));
}
