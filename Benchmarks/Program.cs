using System.Globalization;
using CartGraph.Benchmarks;
using CartGraph.Benchmarks.Suites;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Postgres;
using CartGraph.Infrastructure.Schema;
using Npgsql;

// dotnet run -c Release --project Benchmarks -- SUITE [--connection CS] [--events N] [--minutes N] [--tenants N] [--subscribers N]
var suites = new Dictionary<string, Func<BenchContext, Task<IReadOnlyList<Figure>>>>
{
    ["append"] = AppendSuite.RunAsync,
    ["projection"] = ProjectionSuite.RunAsync,
    ["api"] = ApiSuite.RunAsync,
    ["soak"] = SoakSuite.RunAsync,
    ["tenants"] = TenantsSuite.RunAsync,
    ["fanout"] = FanoutSuite.RunAsync,
};
if (args is ["fanout", ..]) InlineSocketCompletions.ForThisProcess();
// The soak runs for as many minutes as it is given, twice: never part of `all`.
string[] lengthy = ["soak", "tenants", "fanout"];
if (args.Length == 0 || args[0] is "-h" or "--help" || (args[0] != "all" && !suites.ContainsKey(args[0])))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project Benchmarks -- {{{string.Join('|', suites.Keys)}|all}} [--connection CS] [--events N] [--minutes N (soak)] [--tenants N (tenants)] [--subscribers N (fanout)]");
    return 2;
}
var suite = args[0];
var connection = Option("--connection");
var events = int.Parse(Option("--events") ?? "10000", CultureInfo.InvariantCulture);
var minutes = int.Parse(Option("--minutes") ?? "10", CultureInfo.InvariantCulture);
var tenantCount = int.Parse(Option("--tenants") ?? "1000", CultureInfo.InvariantCulture);
var subscriberCount = int.Parse(Option("--subscribers") ?? "1000", CultureInfo.InvariantCulture);

LocalPostgresCluster? cluster = null;
string? binDirectory = null;
var databaseName = (string?)null;
if (connection is null)
{
    Progress.Say("Starting the embedded PostgreSQL cluster under .data/postgres (fsync on) ...");
    cluster = await LocalPostgresCluster.StartPersistentAsync(Path.Combine(".data", "postgres"));
    binDirectory = PostgresBinaries.Locate().BinDirectory;
    databaseName = $"cartgraph_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
    await using (var admin = new NpgsqlConnection(cluster.ConnectionString))
    {
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {databaseName}", admin);
        await create.ExecuteNonQueryAsync();
    }
    connection = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = databaseName }.ConnectionString;
}

try
{
    await using var database = PostgresDatabase.Create(connection, "cartgraph-bench");
    await new SchemaMigrator(database).MigrateAsync();
    var tenants = new TenantPartitions(database);
    var store = new EventStore(database, tenants);
    var context = new BenchContext(connection, database, tenants, store, new CommandHandler(store), events, minutes, binDirectory, tenantCount, subscriberCount);

    var header = await DescribeAsync(database, suite, suite switch { "soak" => $"--minutes {minutes}", "tenants" => $"--tenants {tenantCount}", "fanout" => $"--subscribers {subscriberCount}", _ => $"--events {events}" });
    var figures = new List<Figure>();
    foreach (var (name, run) in suites.Where(s => suite == "all" ? !lengthy.Contains(s.Key) : s.Key == suite))
    {
        Progress.Say($"Suite {name}:");
        figures.AddRange(await run(context));
    }
    Report.Print(header, figures);
    return 0;
}
finally
{
    if (cluster is not null && databaseName is not null)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(cluster.ConnectionString);
        await admin.OpenAsync();
        Progress.Say($"Dropping the benchmark's database {databaseName}...");
        // No timeout: a database of thousands of tenants has hundreds of thousands of files to remove.
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)", admin) { CommandTimeout = 0 };
        await drop.ExecuteNonQueryAsync();
    }
    if (cluster is not null) await cluster.DisposeAsync();
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static async Task<IReadOnlyList<string>> DescribeAsync(PostgresDatabase database, string suite, string options)
{
    await using var command = database.Commands.CreateCommand("""
        SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'),
               current_setting('wal_sync_method'), current_setting('shared_buffers'), current_setting('max_connections')
        """);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    return
    [
        $"CartGraph benchmarks: suite {suite}, {options}",
        $"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
        $"PostgreSQL {reader.GetString(0)}: fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, " +
        $"wal_sync_method={reader.GetString(3)}, shared_buffers={reader.GetString(4)}, max_connections={reader.GetString(5)}",
    ];
}
