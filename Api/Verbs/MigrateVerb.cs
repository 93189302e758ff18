using CartGraph.Api.Hosting;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Schema;

namespace CartGraph.Api.Verbs;

/// <summary><c>migrate</c>: creates or upgrades the database schema, then exits.</summary>
public static class MigrateVerb
{
    public static async Task<int> RunAsync(IConfiguration configuration, ILoggerFactory loggers)
    {
        await using var connection = await EventStoreConnection.ResolveAsync(configuration, loggers);
        await using var database = PostgresDatabase.Create(connection.ConnectionString);
        var applied = await new SchemaMigrator(database, loggers.CreateLogger<SchemaMigrator>()).MigrateAsync();
        Console.WriteLine(applied.Count == 0
            ? $"Schema is current (version {Migration.Latest})."
            : $"Applied {applied.Count} migration(s): {string.Join(", ", applied.Select(m => $"{m.Version} {m.Name}"))}. Schema is at version {Migration.Latest}.");
        return 0;
    }
}
