using System.Globalization;
using CartGraph.Api.Hosting;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Infrastructure.Schema;

namespace CartGraph.Api.Verbs;

/// <summary>
/// <c>parked list [--tenant ID]</c>, <c>parked retry --tenant ID [--stream ID]</c>,
/// <c>parked skip --tenant ID --stream ID --position N</c>: the messages projections could not apply, and what an operator
/// does with them. Retry and skip work whether or not an instance processes the tenant.
/// </summary>
public static class ParkedVerb
{
    private const string Usage =
        "usage: parked list [--tenant ID] | parked retry --tenant ID [--stream ID] | parked skip --tenant ID --stream ID --position N";

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, ILoggerFactory loggers)
    {
        var action = args.Length > 1 ? args[1] : null;
        var tenantText = CommandLine.Option(args, "--tenant");
        var streamId = CommandLine.Option(args, "--stream");
        var positionText = CommandLine.Option(args, "--position");
        var problems = new List<string>();
        if (action is not ("list" or "retry" or "skip")) problems.Add(Usage);
        if (action is "retry" or "skip" && tenantText is null) problems.Add($"parked {action} needs --tenant ID.");
        if (action is "skip" && (streamId is null || positionText is null)) problems.Add("parked skip needs --stream ID and --position N.");
        var tenant = tenantText is not null && TenantId.Create(tenantText).Case is TenantId valid ? valid : null;
        if (tenantText is not null && tenant is null) problems.Add($"not a tenant id: {tenantText}");
        var position = 0L;
        if (positionText is not null && (!long.TryParse(positionText, NumberStyles.None, CultureInfo.InvariantCulture, out position) || position < 1))
            problems.Add($"--position must be a stream position (1 or more), not '{positionText}'.");
        if (problems.Count > 0)
        {
            foreach (var problem in problems.Distinct()) Console.Error.WriteLine($"cartgraph parked: {problem}");
            return 2;
        }

        await using var connection = await EventStoreConnection.ResolveAsync(configuration, loggers);
        await using var database = PostgresDatabase.Create(connection.ConnectionString);
        await new SchemaMigrator(database, loggers.CreateLogger<SchemaMigrator>()).MigrateAsync();
        var parked = new ParkedStreams(database, [new CartsProjection()], loggers.CreateLogger<ParkedStreams>());
        return action switch
        {
            "list" => await ListAsync(parked, tenant),
            "retry" => await RetryAsync(parked, tenant!, streamId),
            _ => await SkipAsync(parked, tenant!, streamId!, position),
        };
    }

    private static async Task<int> ListAsync(ParkedStreams parked, TenantId? tenant)
    {
        var all = await parked.ListAsync(tenant);
        if (all.Count == 0) Console.WriteLine(tenant is null ? "No parked stream." : $"No parked stream in tenant {tenant}.");
        foreach (var p in all) Console.WriteLine(Line(p));
        return 0;
    }

    private static async Task<int> RetryAsync(ParkedStreams parked, TenantId tenant, string? streamId)
    {
        var outcomes = await parked.RetryAsync(tenant, streamId);
        if (outcomes.Count == 0)
            Console.WriteLine(streamId is null ? $"No parked stream in tenant {tenant}." : $"Stream {streamId} of tenant {tenant} is not parked.");
        foreach (var outcome in outcomes) Console.WriteLine(Describe(outcome, tenant));
        return outcomes.Any(o => o.StillParked is not null) ? 1 : 0;
    }

    private static async Task<int> SkipAsync(ParkedStreams parked, TenantId tenant, string streamId, long position)
    {
        var skipped = await parked.SkipAsync(tenant, streamId, position, $"{Environment.UserName}@{Environment.MachineName}");
        return skipped.Match(
            Right: outcome =>
            {
                Console.WriteLine($"Passed over position {position} of {streamId} (recorded). {Describe(outcome, tenant)}");
                return outcome.StillParked is null ? 0 : 1;
            },
            Left: problem =>
            {
                Console.Error.WriteLine($"cartgraph parked: {problem}");
                return 2;
            });
    }

    /// <summary>projection, tenant, stream, position, type, since, error: one parked stream on one line.</summary>
    private static string Line(ParkedMessage p) =>
        $"{p.Projection}  {p.Tenant}  {p.StreamId}  position {p.StreamPosition}  {p.MessageType}  "
        + $"since {p.FirstAttempt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({p.Attempts} attempt{(p.Attempts == 1 ? "" : "s")})  {OneLine(p.Error)}";

    private static string Describe(ParkedStreamOutcome outcome, TenantId tenant) => outcome.StillParked is { } still
        ? $"Still parked: {Line(still)}"
        : $"{outcome.Projection}  {tenant}  {outcome.StreamId}  applied up to position {outcome.Bookmark}; no longer parked.";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
