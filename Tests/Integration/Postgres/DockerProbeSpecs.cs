using Xunit.Abstractions;

namespace CartGraph.Tests.Integration.Postgres;

/// <summary>Without Docker, trying it must not slow every test run down.</summary>
public sealed class DockerProbeSpecs(ITestOutputHelper output)
{
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    [NoDockerEngineFact]
    public async Task Without_a_Docker_engine_the_probe_falls_through_in_under_two_seconds()
    {
        var probe = await DockerProbe.TryStartAsync();
        output.WriteLine($"Docker probe {probe.Elapsed.TotalMilliseconds:0} ms: {probe.Outcome}");

        Assert.Null(probe.Container);
        Assert.True(probe.Elapsed < Budget, $"Docker probe took {probe.Elapsed}");
    }

    [NoDockerEngineFact]
    public async Task Without_a_Docker_engine_Testcontainers_own_refusal_is_caught_too()
    {
        // What a stale DOCKER_HOST would cost: Testcontainers looks for an engine itself and gives up.
        var attempt = await DockerProbe.TryStartAsync(evenWithoutHint: true);
        output.WriteLine($"Testcontainers {attempt.Elapsed.TotalMilliseconds:0} ms: {attempt.Outcome}");

        Assert.Null(attempt.Container);
        Assert.StartsWith("Docker unavailable", attempt.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shared_server_spent_under_two_seconds_on_Docker_when_it_fell_through()
    {
        var server = await SharedTestServer.GetAsync();
        output.WriteLine(server.Describe());
        if (server.Docker is { Container: null } docker)
            Assert.True(docker.Elapsed < Budget, $"Docker probe took {docker.Elapsed}");
    }
}

/// <summary>A fact about the fall-through without Docker; skipped, saying why, where an engine may be present.</summary>
public sealed class NoDockerEngineFactAttribute : FactAttribute
{
    public NoDockerEngineFactAttribute()
    {
        if (DockerProbe.EngineHint() is { } engine) Skip = $"Docker engine may be present ({engine}): no fall-through to check";
    }
}
