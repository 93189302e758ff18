using CartGraph.Infrastructure.Postgres;

namespace CartGraph.Tests.Integration.Postgres;

/// <summary>The machine's psql client, run as a given OS user as an attacker or an operator would run it.</summary>
public static class Psql
{
    static readonly string Program = Path.Combine(PostgresBinaries.Locate().BinDirectory, "psql");

    /// <summary>
    /// <c>SELECT current_user</c> through <paramref name="conninfo"/> as <paramref name="osUser"/>; never prompts for a
    /// password (<c>-w</c>) and reads no psqlrc (<c>-X</c>).
    /// </summary>
    public static Task<CommandResult> AsAsync(string osUser, string conninfo) =>
        ServerCommand.RunAsync(
            new ServerAccount(osUser), Program, ["-X", "-w", "-A", "-t", "-c", "SELECT current_user", conninfo],
            TimeSpan.FromSeconds(20), CancellationToken.None);

    /// <summary>A libpq connection string: <c>host=... port=... user=... dbname=...</c> and any extra <c>key=value</c>.</summary>
    public static string Conninfo(string host, int port, params string[] extra) =>
        string.Join(' ', new[] { $"host={host}", $"port={port}", "user=postgres", "dbname=postgres", "connect_timeout=5" }.Concat(extra));
}
