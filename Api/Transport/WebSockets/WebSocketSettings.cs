using CartGraph.Api.Transport.Execution;
using GraphQL.Types;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>What every connection of one endpoint shares.</summary>
internal sealed record WebSocketSettings(
    OperationExecutor Executor,
    TransportJson Json,
    GraphQLTransportOptions Options,
    Type SchemaType,
    Func<IServiceProvider, ISchema> SchemaOf,
    ILogger Logger,
    CancellationToken ApplicationStopping);
