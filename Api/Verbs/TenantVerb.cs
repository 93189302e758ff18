using System.Globalization;
using CartGraph.Api.Hosting;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Infrastructure.Schema;
using CartGraph.Infrastructure.Tenants;
using LanguageExt;

namespace CartGraph.Api.Verbs;

/// <summary>
/// <c>tenant list | export | import | drop</c>: a tenant's life, safe while the service runs. Arguments are checked
/// before anything is touched; a refusal is one line on stderr and exit code 2, and changes nothing.
/// </summary>
public static class TenantVerb
{
    public const string Usage =
        "tenant list | tenant export --tenant ID --output FILE | tenant import --input FILE | tenant drop --tenant ID --confirm ID";

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, ILoggerFactory loggers, TextWriter output, TextWriter error)
    {
        var problem = Check(args);
        if (problem is not null) return Refuse(error, problem);

        await using var connection = await EventStoreConnection.ResolveAsync(configuration, loggers);
        await using var database = PostgresDatabase.Create(connection.ConnectionString);
        await new SchemaMigrator(database, loggers.CreateLogger<SchemaMigrator>()).MigrateAsync();
        var bar = new ProgressBar(error);
        try
        {
            return args[1] switch
            {
                "list" => await ListAsync(database, bar, output),
                "export" => await ExportAsync(args, database, bar, output, error),
                "import" => await ImportAsync(args, database, configuration, loggers, bar, output, error),
                _ => await DropAsync(args, database, output, error),
            };
        }
        finally
        {
            bar.Finish();
        }
    }

    /// <summary>What is wrong with the arguments, before any connection is made; null when nothing is.</summary>
    private static string? Check(string[] args)
    {
        string? TenantProblem(string option) => CommandLine.Option(args, option) is not { } raw
            ? $"{option} ID is required."
            : TenantId.Create(raw, option).FailToSeq().HeadOrNone().Map(e => $"{e.Message}: '{raw}'.").IfNoneUnsafe((string?)null);

        return args.ElementAtOrDefault(1) switch
        {
            "list" => null,
            "export" => TenantProblem("--tenant") ?? (CommandLine.Option(args, "--output") is null ? "--output FILE is required." : null),
            "import" => CommandLine.Option(args, "--input") is null ? "--input FILE is required." : null,
            "drop" => TenantProblem("--tenant") ?? (CommandLine.Option(args, "--confirm") == CommandLine.Option(args, "--tenant")
                ? null
                : $"--confirm must repeat the tenant id ({CommandLine.Option(args, "--tenant")}) to drop it; nothing was dropped."),
            _ => $"usage: {Usage}",
        };
    }

    private static async Task<int> ExportAsync(string[] args, PostgresDatabase database, ProgressBar bar, TextWriter output, TextWriter error)
    {
        var path = CommandLine.Option(args, "--output")!;
        var exported = await new TenantExport(database).ToFileAsync(TenantId.Parse(CommandLine.Option(args, "--tenant")!), path, Bar(bar));
        return Outcome(exported, bar, output, error, header =>
            $"Exported tenant {header.Tenant}: {header.Streams:N0} stream(s), {header.Messages:N0} message(s) to {Path.GetFullPath(path)}.");
    }

    private static async Task<int> ImportAsync(
        string[] args, PostgresDatabase database, IConfiguration configuration, ILoggerFactory loggers, ProgressBar bar, TextWriter output, TextWriter error)
    {
        var import = new TenantImport(database, ReadModelRegistry.Projections, ProjectionSettings.From(configuration), loggers);
        var imported = await import.FromFileAsync(CommandLine.Option(args, "--input")!, Bar(bar));
        return Outcome(imported, bar, output, error, header =>
            $"Imported tenant {header.Tenant}: {header.Streams:N0} stream(s), {header.Messages:N0} message(s); its read models are built.");
    }

    private static async Task<int> DropAsync(string[] args, PostgresDatabase database, TextWriter output, TextWriter error)
    {
        var tenant = TenantId.Parse(CommandLine.Option(args, "--tenant")!);
        var dropped = await new TenantDrop(database, ReadModelRegistry.TenantRows).DropAsync(tenant);
        return dropped.Match(
            Right: _ =>
            {
                output.WriteLine($"Dropped tenant {tenant}: its partitions, cursors and read-model rows are gone.");
                return 0;
            },
            Left: refused => Refuse(error, refused.Message));
    }

    private static async Task<int> ListAsync(PostgresDatabase database, ProgressBar bar, TextWriter output)
    {
        var store = new EventStore(database, new TenantPartitions(database));
        var summaries = await store.SummarizeTenantsAsync(Bar(bar));
        var carts = await CartsTable.CountByTenantAsync(database.Commands, CancellationToken.None);
        bar.Finish();
        output.WriteLine($"{"TENANT",-32} {"STREAMS",9} {"ARCHIVED",9} {"EVENTS",11} {"CARTS",9}  LAST EVENT");
        foreach (var (tenant, summary) in summaries)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{tenant.Value,-32} {summary.Streams,9} {summary.ArchivedStreams,9} {summary.Messages,11} {carts.GetValueOrDefault(tenant.Value),9}  {summary.LastMessageAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-"}"));
        output.WriteLine($"{summaries.Count} tenant(s).");
        return 0;
    }

    private static IProgress<TenantProgress> Bar(ProgressBar bar) => bar.For<TenantProgress>(p => (p.Step, p.Done, p.Total));

    private static int Outcome<T>(Either<TenantError, T> outcome, ProgressBar bar, TextWriter output, TextWriter error, Func<T, string> done)
    {
        bar.Finish();
        return outcome.Match(
            Right: value =>
            {
                output.WriteLine(done(value));
                return 0;
            },
            Left: refused => Refuse(error, refused.Message));
    }

    private static int Refuse(TextWriter error, string message)
    {
        error.WriteLine($"cartgraph tenant: {message}");
        return 2;
    }
}
