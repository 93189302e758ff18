using CartGraph.Infrastructure.Postgres;
using Npgsql;

namespace CartGraph.Tests.Integration.Postgres;

/// <summary>
/// A data directory as CartGraph left it before its clusters had a password: initdb with <c>--auth=trust</c>, our
/// <c>cartgraph.conf</c>, a row in a table; stopped, or still running as its earlier owner left it.
/// </summary>
public static class EarlierVersionCluster
{
    public const string KeptRow = "written before the upgrade";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task CreateAsync(string dataDirectory, bool leaveRunning)
    {
        var binaries = PostgresBinaries.Locate();
        var account = ServerAccount.Detect();
        Directory.CreateDirectory(dataDirectory);
        if (account.SwitchTo is { } user) await MustAsync(ServerAccount.Current, "chown", [user + ":", dataDirectory]);
        await MustAsync(account, binaries.InitDb, ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
        var port = FreeLoopbackPort.Pick();
        ServerSettings.Write(dataDirectory, port, new LocalPostgresOptions { Fsync = false });
        await MustAsync(account, binaries.PgCtl, ["start", "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-s"]);

        // Trusted: no password at all.
        var trusted = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres" };
        await UnpooledSql.ExecuteAsync(trusted.ConnectionString, $"CREATE TABLE kept (v text); INSERT INTO kept VALUES ('{KeptRow}')");
        if (!leaveRunning) await StopAsync(dataDirectory);
    }

    /// <summary>Stops a server this fixture left running (its earlier owner stopping it).</summary>
    public static Task StopAsync(string dataDirectory) =>
        MustAsync(ServerAccount.Detect(), PostgresBinaries.Locate().PgCtl, ["stop", "-D", dataDirectory, "-m", "fast", "-w", "-s"]);

    static async Task MustAsync(ServerAccount account, string program, string[] arguments)
    {
        var result = await ServerCommand.RunAsync(account, program, arguments, Patience, CancellationToken.None);
        Assert.True(result.Succeeded, $"{Path.GetFileName(program)} {string.Join(' ', arguments)}: {result.Output}");
    }
}
