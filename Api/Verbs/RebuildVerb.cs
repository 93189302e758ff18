using CartGraph.Api.Hosting;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.Schema;

namespace CartGraph.Api.Verbs;

/// <summary><c>rebuild [--projection carts-read-model] [--tenant ID]</c>: replays a read model from the start, with progress.</summary>
public static class RebuildVerb
{
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, ILoggerFactory loggers)
    {
        var projections = ReadModelRegistry.Projections;
        var name = CommandLine.Option(args, "--projection") ?? projections[0].Name;
        if (projections.FirstOrDefault(p => p.Name == name) is not { } projection)
        {
            Console.Error.WriteLine($"cartgraph rebuild: unknown projection '{name}'; known: {string.Join(", ", projections.Select(p => p.Name))}");
            return 2;
        }
        var requested = CommandLine.Options(args, "--tenant");
        var invalid = requested.Where(t => TenantId.Create(t).IsFail).ToList();
        if (invalid.Count > 0)
        {
            Console.Error.WriteLine($"cartgraph rebuild: not a tenant id: {string.Join(", ", invalid)}");
            return 2;
        }

        await using var connection = await EventStoreConnection.ResolveAsync(configuration, loggers);
        await using var database = PostgresDatabase.Create(connection.ConnectionString);
        await new SchemaMigrator(database, loggers.CreateLogger<SchemaMigrator>()).MigrateAsync();
        var known = await new TenantPartitions(database).ListAsync();
        var tenants = requested.Count == 0 ? known : requested.Select(TenantId.Parse).ToList();
        var missing = tenants.Where(t => !known.Contains(t)).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"cartgraph rebuild: no such tenant: {string.Join(", ", missing)}");
            return 2;
        }

        Console.WriteLine($"Rebuilding {projection.Name} for {tenants.Count} tenant(s).");
        var bar = new ProgressBar(Console.Error);
        await new ProjectionRebuild(database, ProjectionSettings.From(configuration), loggers)
            .RunAsync(projection, tenants, bar.For<RebuildProgress>(p => (p.Tenant, p.Done, p.Total)));
        bar.Finish();
        // A replay meets every message again: one its projection cannot apply parks its stream, and the rest goes on.
        var parked = (await ParkedMessages.ListAsync(database.Commands, tenant: null))
            .Where(p => p.Projection == projection.Name && tenants.Any(t => t.Value == p.Tenant)).ToList();
        foreach (var tenant in parked.GroupBy(p => p.Tenant))
            Console.WriteLine($"{tenant.Count()} stream(s) of {tenant.Key} parked: `parked list --tenant {tenant.Key}` shows them.");
        Console.WriteLine("Done.");
        return 0;
    }
}
