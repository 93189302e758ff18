using CartGraph.Infrastructure.Postgres;

namespace CartGraph.Api.Hosting;

/// <summary>
/// Where the event store lives: <c>ConnectionStrings:EventStore</c> when configured, otherwise a PostgreSQL
/// cluster of our own, started from the machine's binaries with its data under <c>.data/postgres</c> and its superuser's
/// password in <c>.data/postgres.pgpass</c>: the connection string carries the password, what is logged never does.
/// </summary>
public sealed class EventStoreConnection : IAsyncDisposable
{
    public const string ConfigurationKey = "EventStore";

    private EventStoreConnection(string connectionString, LocalPostgresCluster? cluster)
    {
        ConnectionString = connectionString;
        Cluster = cluster;
    }

    public string ConnectionString { get; }

    /// <summary>The embedded cluster, when this process started (or reused) one.</summary>
    public LocalPostgresCluster? Cluster { get; }

    public static async Task<EventStoreConnection> ResolveAsync(
        IConfiguration configuration, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        if (configuration.GetConnectionString(ConfigurationKey) is { Length: > 0 } configured)
            return new EventStoreConnection(configured, null);

        var logger = loggers.CreateLogger("CartGraph.EmbeddedPostgres");
        var dataDirectory = Path.GetFullPath(Path.Combine(".data", "postgres"));
        logger.LogInformation(
            "No ConnectionStrings:EventStore configured: starting an embedded PostgreSQL cluster in {DataDirectory}", dataDirectory);
        var cluster = await LocalPostgresCluster.StartPersistentAsync(dataDirectory, logger: logger, ct: cancellationToken);
        logger.LogInformation("Embedded PostgreSQL: {ConnectionString}", cluster.RedactedConnectionString);
        return new EventStoreConnection(cluster.ConnectionString, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}
