using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;

namespace CartGraph.Tests;

/// <summary>What trying Docker gave: a running container, or why not, and how long finding out took.</summary>
public sealed record DockerAttempt(PostgreSqlContainer? Container, string Outcome, TimeSpan Elapsed);

/// <summary>Testcontainers, tried only when a Docker engine may be there, so its absence costs next to nothing.</summary>
public static class DockerProbe
{
    public const string Image = "postgres:15-alpine";

    /// <summary>Where a Docker engine may answer, or null when there is plainly none (no env var, no socket).</summary>
    public static string? EngineHint()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host) return $"DOCKER_HOST={host}";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string?[] candidates =
        [
            "/var/run/docker.sock",
            Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } run ? Path.Combine(run, "docker.sock") : null,
            Path.Combine(home, ".docker", "run", "docker.sock"),
            Path.Combine(home, ".testcontainers.properties"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Starts a PostgreSQL container, or explains why not. <paramref name="evenWithoutHint"/> skips the cheap check.</summary>
    public static async Task<DockerAttempt> TryStartAsync(bool evenWithoutHint = false)
    {
        var clock = Stopwatch.StartNew();
        var hint = EngineHint();
        if (hint is null && !evenWithoutHint)
            return new(null, "no Docker engine (DOCKER_HOST unset, no docker.sock)", clock.Elapsed);
        PostgreSqlContainer? container = null;
        try
        {
            container = new PostgreSqlBuilder(Image).Build();
            await container.StartAsync();
            return new(container, $"Testcontainers via {hint ?? "its own discovery"}", clock.Elapsed);
        }
        catch (Exception e)
        {
            if (container is not null) await container.DisposeAsync();
            var why = e is DockerUnavailableException ? "Docker unavailable" : $"container failed ({e.GetType().Name})";
            return new(null, $"{why}: {FirstLine(e.Message)}", clock.Elapsed);
        }
    }

    static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
