using CartGraph.Infrastructure.Postgres;

namespace CartGraph.Tests.Integration.Postgres;

/// <summary>The Infrastructure starter against the machine's PostgreSQL binaries.</summary>
public sealed class LocalPostgresClusterSpecs : IDisposable
{
    static readonly LocalPostgresOptions Fast = new() { Fsync = false };
    readonly string root = TraversableTempDirectory.Create("cartgraph-pg-test-");

    string DataDirectory => Path.Combine(root, "data");

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task A_persistent_cluster_keeps_its_rows_and_port_across_stop_and_start()
    {
        await using var cluster = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast);
        var port = cluster.Port;
        await UnpooledSql.ExecuteAsync(cluster.ConnectionString, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");

        await cluster.StopAsync();
        Assert.False(cluster.IsRunning);
        Assert.Null(Postmaster.Read(DataDirectory));
        await cluster.StartAsync();

        Assert.Equal(port, cluster.Port);
        Assert.Equal("still here", await UnpooledSql.ScalarAsync(cluster.ConnectionString, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task A_persistent_cluster_is_initialized_once_and_reopened_by_a_later_instance()
    {
        await using (var first = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast))
            await UnpooledSql.ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('again')");
        Assert.Null(Postmaster.Read(DataDirectory)); // we started it, so dispose stopped it

        await using var second = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast);
        Assert.Equal("again", await UnpooledSql.ScalarAsync(second.ConnectionString, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task A_persistent_cluster_reuses_a_running_server_and_leaves_it_to_whoever_started_it()
    {
        await using var owner = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast);
        await using (var guest = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast))
            Assert.Equal(owner.Port, guest.Port);

        Assert.Equal(1, await UnpooledSql.ScalarAsync(owner.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task A_throwaway_cluster_is_stopped_and_deleted_on_dispose()
    {
        var cluster = await LocalPostgresCluster.StartThrowawayAsync(Fast);
        Assert.Equal(1, await UnpooledSql.ScalarAsync(cluster.ConnectionString, "SELECT 1"));
        var postmaster = Postmaster.Read(cluster.DataDirectory);

        await cluster.DisposeAsync();

        Assert.False(Directory.Exists(cluster.DataDirectory));
        Assert.False(postmaster?.IsAlive() ?? true);
    }

    [Fact]
    public void Missing_binaries_are_reported_in_one_line_that_says_what_to_do()
    {
        Assert.Null(PostgresBinaries.TryLocate("/nonexistent/postgresql", pathVariable: ""));
        var message = new PostgresBinariesNotFoundException().Message;
        Assert.DoesNotContain('\n', message);
        Assert.Contains("apt-get install postgresql", message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__EventStore", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_highest_installed_version_is_preferred()
    {
        foreach (var version in new[] { "9.6", "15", "16" })
        {
            var bin = Directory.CreateDirectory(Path.Combine(root, "lib", version, "bin")).FullName;
            File.WriteAllText(Path.Combine(bin, "pg_ctl"), "");
            File.WriteAllText(Path.Combine(bin, "initdb"), "");
        }
        Assert.Equal(Path.Combine(root, "lib", "16", "bin"), PostgresBinaries.TryLocate(Path.Combine(root, "lib"), "")?.BinDirectory);
    }
}
