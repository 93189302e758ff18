using CartGraph.Api.Transport.EventStreams;
using CartGraph.Api.Transport.Execution;
using CartGraph.Api.Transport.Http;
using CartGraph.Api.Transport.Persisted;
using CartGraph.Api.Transport.WebSockets;
using GraphQL.Types;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.Options;

namespace CartGraph.Api.Transport;

/// <summary>Registers and maps the GraphQL transports: HTTP (GET, POST), Server-Sent Events and graphql-transport-ws, at one path.</summary>
public static class GraphQLTransportRegistration
{
    /// <summary>Registers the transports' options, document cache, persisted queries and JSON; call once.</summary>
    public static IServiceCollection AddGraphQLTransports(
        this IServiceCollection services, Func<GraphQLTransportOptions, GraphQLTransportOptions>? configure = null) =>
        services.AddGraphQLTransports((options, _) => (configure ?? (o => o))(options));

    /// <summary>Registers the transports with options that depend on other services (an authenticator, say).</summary>
    public static IServiceCollection AddGraphQLTransports(
        this IServiceCollection services, Func<GraphQLTransportOptions, IServiceProvider, GraphQLTransportOptions> configure)
    {
        services.AddSingleton(provider => configure(new GraphQLTransportOptions(), provider));
        services.AddSingleton(provider => new DocumentCache(provider.GetRequiredService<GraphQLTransportOptions>().DocumentCacheEntries));
        services.AddSingleton(provider => new PersistedQueryStore(provider.GetRequiredService<GraphQLTransportOptions>().PersistedQueryBytes));
        services.AddSingleton<DocumentLookup>();
        services.AddSingleton<TransportJson>();
        services.AddSingleton<OperationExecutor>();
        return services;
    }

    /// <summary>Serves <typeparamref name="TSchema"/> (resolved from the request's services) at <paramref name="pattern"/>.</summary>
    /// <remarks>WebSocket upgrades are handled here: no <c>app.UseWebSockets()</c> is needed (a global one does no harm).</remarks>
    public static IEndpointConventionBuilder MapGraphQLEndpoint<TSchema>(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
        where TSchema : ISchema
    {
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<GraphQLTransportOptions>();
        var executor = services.GetRequiredService<OperationExecutor>();
        var json = services.GetRequiredService<TransportJson>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        Func<IServiceProvider, ISchema> schemaOf = provider => provider.GetRequiredService<TSchema>();

        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var eventStreams = new EventStreamOperation(
            executor, json, options, typeof(TSchema), schemaOf, stopping, loggers.CreateLogger<EventStreamOperation>());
        var http = new GraphQLHttpEndpoint(executor, json, options, typeof(TSchema), schemaOf, eventStreams);
        var sockets = new GraphQLWebSocketEndpoint(new WebSocketSettings(
            executor, json, options, typeof(TSchema), schemaOf, loggers.CreateLogger<GraphQLWebSocketEndpoint>(), stopping));
        // The WebSocket middleware, scoped to this endpoint: it only marks upgrade requests, which go to the socket side.
        var upgrades = new WebSocketMiddleware(
            context => context.WebSockets.IsWebSocketRequest ? sockets.HandleAsync(context) : http.HandleAsync(context),
            Options.Create(new WebSocketOptions { KeepAliveInterval = options.KeepAliveInterval, KeepAliveTimeout = options.KeepAliveTimeout }),
            loggers);

        return endpoints.Map(pattern, upgrades.Invoke).WithDisplayName($"GraphQL {pattern}");
    }

    /// <summary>Serves the <see cref="ISchema"/> registered in the services at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/graphql") =>
        endpoints.MapGraphQLEndpoint<ISchema>(pattern);
}
