using CartGraph.Infrastructure.Postgres;
using CartGraph.Tests.Integration.Postgres;
using Xunit.Abstractions;

namespace CartGraph.Tests.Resilience;

/// <summary>
/// <c>dotnet CartGraph.Api.dll</c> without a connection string, as a user runs it from a fresh clone: its embedded cluster
/// admits the API, its verbs and its owner's psql, and no other OS user; nothing it logs shows the password.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class EmbeddedClusterSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    readonly string workingDirectory = TraversableTempDirectory.Create("cartgraph-embedded-");
    string? osUser;

    string DataDirectory => Path.Combine(workingDirectory, ".data", "postgres");

    [RootTheory]
    [InlineData(null)] // root: the cluster runs as the postgres OS user
    [InlineData("daemon")] // an ordinary user: the cluster runs as that user
    public async Task The_embedded_cluster_admits_the_API_its_verbs_and_its_owner_and_no_other_OS_user(string? runAs)
    {
        osUser = runAs;
        if (runAs is not null) await ChownAsync(runAs, workingDirectory);
        var owner = runAs is null ? ServerAccount.Current : new ServerAccount(runAs);

        await using var api = await ApiProcess.StartEmbeddedAsync("api", workingDirectory, runAs);
        var passwordFile = PasswordFile.Beside(DataDirectory);
        var password = passwordFile.Read();
        Assert.False(string.IsNullOrEmpty(password), $"No password in {passwordFile.Location}");
        var port = Postmaster.Read(DataDirectory)!.Port;

        await Psql.AssertIntruderRefusedAsync([DataDirectory], port, passwordFile.Location, output.WriteLine);
        var psql = await Psql.AsAsync(owner, Psql.Conninfo("127.0.0.1", port, $"passfile={passwordFile.Location}"));
        Assert.True(psql.Succeeded, $"The owner's psql with {passwordFile.Location}: {psql.Output}");

        // A verb while the server runs reuses its cluster, with the same password.
        var migrate = await ApiProcess.RunEmbeddedVerbAsync(workingDirectory, runAs, "migrate");
        Assert.True(migrate.Succeeded && migrate.Output.Contains("Schema is current", StringComparison.Ordinal), migrate.Output);

        await api.TerminateAsync();
        Assert.Equal(0, await api.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Null(Postmaster.Read(DataDirectory)); // the API started the cluster, so it stopped it
        Assert.Contains($"Port={port}", api.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(password!, api.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(password!, migrate.Output, StringComparison.Ordinal);
    }

    static async Task ChownAsync(string user, string path)
    {
        var chown = await ServerCommand.RunAsync(ServerAccount.Current, "chown", [user + ":", path], TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True(chown.Succeeded, chown.Output);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A failed spec may leave the cluster running (its API killed): stop it before deleting its directory.</summary>
    public async Task DisposeAsync()
    {
        if (Postmaster.Read(DataDirectory) is { } postmaster && postmaster.IsAlive())
        {
            var account = osUser is null ? ServerAccount.Detect() : new ServerAccount(osUser);
            await ServerCommand.RunAsync(account, PostgresBinaries.Locate().PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w"],
                TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        Directory.Delete(workingDirectory, recursive: true);
    }
}
