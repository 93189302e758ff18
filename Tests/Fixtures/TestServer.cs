using System.Diagnostics;
using CartGraph.Infrastructure.Postgres;

namespace CartGraph.Tests;

/// <summary>The one PostgreSQL server of a test run, where it came from and what choosing it cost.</summary>
public sealed record TestServer(string Source, string ConnectionString, TimeSpan ChoiceTime, DockerAttempt? Docker, Func<ValueTask> Release)
{
    public string Describe() =>
        $"PostgreSQL for tests: {Source}, chosen in {ChoiceTime.TotalSeconds:0.00} s"
        + (Docker is { } d ? $" (Docker probe {d.Elapsed.TotalMilliseconds:0} ms: {d.Outcome})" : "");
}

/// <summary>
/// Chooses the server once per test run: <c>CARTGRAPH_TEST_DATABASE</c>, else Testcontainers when Docker
/// answers, else a throwaway cluster from the local binaries (fsync off), stopped and deleted at exit.
/// </summary>
/// <remarks>NOTE: xunit 2 has no assembly fixture: a lazy singleton stands in, released by
/// <see cref="TestRunFramework"/> as the run's last step (ProcessExit is only a backup: vstest may kill the
/// test host while its handlers still run).</remarks>
public static class SharedTestServer
{
    public const string EnvironmentVariable = "CARTGRAPH_TEST_DATABASE";

    static readonly Lazy<Task<TestServer>> Server = new(ChooseAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    static int released;

    static SharedTestServer() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ReleaseIfChosenAsync().AsTask().GetAwaiter().GetResult();

    public static Task<TestServer> GetAsync() => Server.Value;

    static async Task<TestServer> ChooseAsync()
    {
        var clock = Stopwatch.StartNew();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
            return Announce(new TestServer($"${EnvironmentVariable}", given, clock.Elapsed, null, () => ValueTask.CompletedTask));

        var docker = await DockerProbe.TryStartAsync();
        if (docker.Container is { } container)
            return Announce(new TestServer($"Testcontainers ({DockerProbe.Image})", container.GetConnectionString(), clock.Elapsed, docker, container.DisposeAsync));

        try
        {
            var start = Stopwatch.StartNew();
            var cluster = await LocalPostgresCluster.StartThrowawayAsync(new LocalPostgresOptions { Fsync = false });
            return Announce(new TestServer(
                $"throwaway local cluster in {cluster.DataDirectory} on port {cluster.Port} (initdb + start {start.Elapsed.TotalSeconds:0.00} s)",
                cluster.ConnectionString, clock.Elapsed, docker, cluster.DisposeAsync));
        }
        catch (PostgresBinariesNotFoundException)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL for tests: set {EnvironmentVariable}, start a Docker engine, or install postgresql (apt-get install postgresql)");
        }
    }

    static TestServer Announce(TestServer server)
    {
        Console.WriteLine(server.Describe());
        return server;
    }

    /// <summary>Stops and removes the server if this run chose one; only the first call acts.</summary>
    public static ValueTask ReleaseIfChosenAsync() =>
        Server.IsValueCreated && Server.Value.IsCompletedSuccessfully && Interlocked.Exchange(ref released, 1) == 0
            ? Server.Value.Result.Release()
            : ValueTask.CompletedTask;
}
