using CartGraph.Api.Board;
using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL;
using CartGraph.Api.GraphQL.Subscriptions;
using CartGraph.Api.Transport;
using CartGraph.Api.Health;
using CartGraph.Api.Observability;
using CartGraph.Api.Ide;
using CartGraph.Api.Realtime;
using CartGraph.Api.Security;
using CartGraph.Infrastructure.Caching;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Infrastructure.Schema;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CartGraph.Api.Hosting;

/// <summary>How the API is put together: the event store and its shell, behind the GraphQL endpoint.</summary>
public static class CartGraphServices
{
    public static async Task AddCartGraphAsync(this WebApplicationBuilder builder)
    {
        using var startupLoggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        var connection = await EventStoreConnection.ResolveAsync(builder.Configuration, startupLoggers);
        var services = builder.Services;
        // Registered through a factory so that the container disposes it, stopping an embedded cluster we started.
        services.AddSingleton(_ => connection);
        services.AddSingleton(provider => PostgresDatabase.Create(provider.GetRequiredService<EventStoreConnection>().ConnectionString));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<TenantPartitions>();
        services.AddSingleton<EventStore>();
        var caches = CacheSettings.From(builder.Configuration);
        startupLoggers.CreateLogger("CartGraph.Caches").LogInformation(
            "Caches: {Aggregates} MB for aggregate states ({AggregateKey}), {Carts} MB for cart reads ({CartKey})",
            CacheBudget.Megabytes(caches.AggregateBytes), $"{CacheSettings.Section}:AggregateMegabytes",
            CacheBudget.Megabytes(caches.CartBytes), $"{CacheSettings.Section}:CartMegabytes");
        services.AddSingleton(new AggregateCache(caches.AggregateBytes));
        services.AddSingleton<CommandHandler>();
        foreach (var projection in ReadModelRegistry.Projections) services.AddSingleton(projection);
        services.AddSingleton(ProjectionSettings.From(builder.Configuration));
        services.AddSingleton<ProcessorStatus>();
        services.AddSingleton<StreamArchiver>();
        services.AddSingleton(provider => new PostgresListener(provider.GetRequiredService<PostgresDatabase>(), [.. ProjectionChannels.All, PartitionPool.Channel],
            provider.GetRequiredService<ILogger<PostgresListener>>()));
        services.AddSingleton<TenantActivity>();
        services.AddSingleton(PartitionPoolSettings.From(builder.Configuration));
        services.AddSingleton<PartitionPool>();
        services.AddSingleton<PartitionPoolFiller>();
        services.AddSingleton<AppendNotifier>();
        services.AddSingleton<ProcessorHost>();

        services.AddSingleton(provider => new CartCache(provider.GetRequiredService<PostgresListener>(), caches.CartBytes));
        services.AddSingleton<CartReads>();
        services.AddSingleton<CartTimeline>();
        services.AddSingleton(RealtimeSettings.From(builder.Configuration));
        services.AddSingleton<CartFeed>();
        builder.AddCartGraphSecurity();
        builder.AddCartGraphTelemetry();
        builder.AddCartGraphHealth();
        services.AddSingleton<CartService>();
        services.AddCartSchema();
        services.AddGraphQLTransports((options, provider) =>
            (options with { ServeIde = BananaCakePop.OpenFromGraphQL, IsUnavailable = DatabaseUnavailable.Is, EventIdOf = CartEventIds.Of }).WithSecurity(provider));

        // Started in this order: the schema first, then what reads and writes it.
        services.AddHostedService<SchemaMigration>();
        services.AddHostedService(provider => provider.GetRequiredService<PostgresListener>());
        services.AddHostedService(provider => provider.GetRequiredService<AppendNotifier>());
        services.AddHostedService(provider => provider.GetRequiredService<ProcessorHost>());
        services.AddHostedService(provider => provider.GetRequiredService<PartitionPoolFiller>());
        // Last: once they all run, an instance that can no longer serve says why and exits (FatalFailures).
        services.TryAddSingleton<FatalFailures>();
        services.AddHostedService<RequiredServices>();
    }

    public static void MapCartGraph(this WebApplication app)
    {
        app.UseCartGraphTelemetry();
        app.UseAuthentication();
        app.MapCartGraphHealth();
        app.MapGraphQLEndpoint<CartSchema>("/graphql");
        app.MapBananaCakePop("/graphql");
        app.MapCartBoard();
    }
}
