using CartGraph.Infrastructure.Postgres;
using CartGraph.Tests.Api.Transport;
using Npgsql;
using Xunit.Abstractions;

namespace CartGraph.Tests.Integration.Postgres;

/// <summary>
/// A cluster the project starts admits only its owner: no <c>trust</c>, nobody else on the machine gets in over any
/// address it listens on, and a data directory of an earlier version is brought to the same state, rows intact.
/// </summary>
public sealed class OwnerOnlyAccessSpecs(ITestOutputHelper output) : IDisposable
{
    static readonly LocalPostgresOptions Fast = new() { Fsync = false };
    readonly string root = TraversableTempDirectory.Create("cartgraph-pg-access-");

    string DataDirectory => Path.Combine(root, "data");

    public void Dispose() => Directory.Delete(root, recursive: true);

    [RootFact]
    public async Task Another_OS_user_cannot_connect_to_a_throwaway_cluster_over_any_address_or_its_socket()
    {
        await using var cluster = await LocalPostgresCluster.StartThrowawayAsync(Fast);
        await AssertOnlyTheOwnerGetsInAsync(cluster);
    }

    [RootFact]
    public async Task Another_OS_user_cannot_connect_to_the_APIs_persistent_cluster_over_any_address_or_its_socket()
    {
        await using var cluster = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast);
        await AssertOnlyTheOwnerGetsInAsync(cluster);
    }

    [Fact]
    public async Task No_line_of_pg_hba_conf_trusts_a_client()
    {
        await using var cluster = await LocalPostgresCluster.StartThrowawayAsync(Fast);
        var rules = RulesOf(cluster.DataDirectory);

        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.Equal("scram-sha-256", rule.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]));
    }

    [Fact]
    public async Task A_stopped_cluster_of_an_earlier_version_is_upgraded_in_place_at_the_next_start_with_its_rows_intact()
    {
        await EarlierVersionCluster.CreateAsync(DataDirectory, leaveRunning: false);
        Assert.Contains(RulesOf(DataDirectory), rule => rule.EndsWith("trust", StringComparison.Ordinal));

        await using var cluster = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast);

        Assert.Equal(EarlierVersionCluster.KeptRow, await KeptRowAsync(cluster.ConnectionString));
        Assert.DoesNotContain(RulesOf(DataDirectory), rule => rule.EndsWith("trust", StringComparison.Ordinal));
        await AssertRefusedWithoutThePasswordAsync(cluster);
    }

    [RootFact]
    public async Task A_running_cluster_of_an_earlier_version_is_secured_when_reused_and_keeps_its_rows()
    {
        await EarlierVersionCluster.CreateAsync(DataDirectory, leaveRunning: true);
        try
        {
            await using (var cluster = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast))
            {
                Assert.Equal(EarlierVersionCluster.KeptRow, await KeptRowAsync(cluster.ConnectionString));
                await AssertOnlyTheOwnerGetsInAsync(cluster);
            }
        }
        finally
        {
            await EarlierVersionCluster.StopAsync(DataDirectory);
        }
    }

    [Fact]
    public async Task An_upgrade_interrupted_after_keeping_the_password_is_finished_at_the_next_start_with_that_password()
    {
        await EarlierVersionCluster.CreateAsync(DataDirectory, leaveRunning: false);
        var kept = PasswordFile.Generate();
        PasswordFile.Beside(DataDirectory).Write(kept); // then stopped before pg_hba.conf was rewritten

        await using var cluster = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast);

        Assert.Equal(kept, new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Password);
        Assert.Equal(EarlierVersionCluster.KeptRow, await KeptRowAsync(cluster.ConnectionString));
        Assert.True(ClientAuthentication.IsCurrent(DataDirectory));
        await AssertRefusedWithoutThePasswordAsync(cluster);
    }

    [Fact]
    public async Task A_lost_password_file_gets_a_new_password_at_the_next_start_and_the_old_one_stops_working()
    {
        string before;
        await using (var first = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast))
        {
            before = first.ConnectionString;
            await UnpooledSql.ExecuteAsync(before, $"CREATE TABLE kept (v text); INSERT INTO kept VALUES ('{EarlierVersionCluster.KeptRow}')");
        }
        File.Delete(PasswordFile.Beside(DataDirectory).Location);

        await using var second = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast);

        var oldPassword = new NpgsqlConnectionStringBuilder(before).Password;
        Assert.NotEqual(oldPassword, new NpgsqlConnectionStringBuilder(second.ConnectionString).Password);
        Assert.Equal(EarlierVersionCluster.KeptRow, await KeptRowAsync(second.ConnectionString));
        var withOldPassword = new NpgsqlConnectionStringBuilder(second.ConnectionString) { Password = oldPassword }.ConnectionString;
        var stale = await Assert.ThrowsAsync<PostgresException>(() => KeptRowAsync(withOldPassword));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, stale.SqlState);
    }

    [Fact]
    public async Task A_password_changed_behind_its_back_fails_the_start_saying_where_the_password_is_kept_and_leaves_the_server_stopped()
    {
        await using (var cluster = await LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast))
            await UnpooledSql.ExecuteAsync(cluster.ConnectionString, "ALTER ROLE postgres PASSWORD 'changed-by-hand'");

        var refused = await Assert.ThrowsAsync<LocalPostgresException>(() => LocalPostgresCluster.StartPersistentAsync(DataDirectory, Fast));

        output.WriteLine(refused.Message);
        Assert.Contains(PasswordFile.Beside(DataDirectory).Location, refused.Message, StringComparison.Ordinal);
        Assert.IsType<PostgresException>(refused.InnerException);
        Assert.Null(Postmaster.Read(DataDirectory));
    }

    [Fact]
    public async Task What_the_cluster_logs_names_the_port_and_where_the_password_is_and_never_the_password()
    {
        using var logs = new CapturedLogs();
        string password;
        await using (var cluster = await LocalPostgresCluster.StartThrowawayAsync(Fast, logs.CreateLogger("cluster")))
        {
            password = new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Password!;
            Assert.Contains(logs.Entries, entry => entry.Message.Contains($"Port={cluster.Port}", StringComparison.Ordinal)
                && entry.Message.Contains(cluster.PasswordFile.Location, StringComparison.Ordinal));
            Assert.DoesNotContain(password, cluster.RedactedConnectionString, StringComparison.Ordinal);
        }

        Assert.NotEmpty(password);
        Assert.All(logs.Entries, entry => Assert.DoesNotContain(password, entry.Message, StringComparison.Ordinal));
    }

    /// <summary>
    /// Every address the server says it listens on, the loopback ones in case it listens on more than it says, and each
    /// socket directory: the intruder's psql is refused on every one, and Npgsql without the password too. The owner
    /// gets in with psql and the password file, on TCP and on the socket.
    /// </summary>
    async Task AssertOnlyTheOwnerGetsInAsync(LocalPostgresCluster cluster)
    {
        var listening = (string)(await UnpooledSql.ScalarAsync(cluster.ConnectionString, "SELECT current_setting('listen_addresses')"))!;
        var sockets = (string)(await UnpooledSql.ScalarAsync(cluster.ConnectionString, "SELECT current_setting('unix_socket_directories')"))!;
        var hosts = Split(listening).Concat(Split(sockets)).ToList();
        Assert.Contains(hosts, host => host.StartsWith('/'));

        await Psql.AssertIntruderRefusedAsync(hosts, cluster.Port, cluster.PasswordFile.Location, output.WriteLine);
        await AssertRefusedWithoutThePasswordAsync(cluster);
        foreach (var host in hosts)
        {
            var owner = await Psql.AsAsync(ServerAccount.Current, Psql.Conninfo(host, cluster.Port, $"passfile={cluster.PasswordFile.Location}"));
            Assert.True(owner.Succeeded && owner.Output == "postgres", $"The owner could not connect through {host}: {owner.Output}");
        }
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cluster.PasswordFile.Location));
    }

    /// <summary>A guess is refused as a wrong password (none at all would send Npgsql looking in ~/.pgpass).</summary>
    static async Task AssertRefusedWithoutThePasswordAsync(LocalPostgresCluster cluster)
    {
        var guess = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Password = "a-guess", Pooling = false };
        await using var connection = new NpgsqlConnection(guess.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    /// <summary>pg_hba.conf's rules: its lines without comments and blank lines.</summary>
    static List<string> RulesOf(string dataDirectory) =>
        File.ReadAllLines(Path.Combine(dataDirectory, "pg_hba.conf"))
            .Select(line => (line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? line[..hash] : line).Trim())
            .Where(line => line.Length > 0)
            .ToList();

    static IEnumerable<string> Split(string setting) =>
        setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(host => host != "*");

    static async Task<string> KeptRowAsync(string connectionString) => (string)(await UnpooledSql.ScalarAsync(connectionString, "SELECT v FROM kept"))!;
}
