using CartGraph.Infrastructure.Schema;

namespace CartGraph.Api.Hosting;

/// <summary>Migrates the schema when the API starts, before anything else touches the database.</summary>
public sealed class SchemaMigration(SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
