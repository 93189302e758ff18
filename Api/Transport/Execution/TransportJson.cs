using System.Text.Json;
using GraphQL.Execution;
using GraphQL.SystemTextJson;

namespace CartGraph.Api.Transport.Execution;

/// <summary>The transports' JSON: GraphQL.SystemTextJson's converters (results, errors, inputs), exception details never exposed.</summary>
internal sealed class TransportJson
{
    public TransportJson()
    {
        JsonSerializerOptions? options = null;
        // NOTE: the serializer copies options given to it; the configure callback hands us the instance it then fills
        // with its converters, which we use to write messages ourselves.
        _ = new GraphQLSerializer(
            configured => options = configured,
            new ErrorInfoProvider(new ErrorInfoProviderOptions { ExposeExceptionDetails = false }));
        Options = options!;
    }

    public JsonSerializerOptions Options { get; }

    /// <summary>Bounds the nesting of request JSON (variables included) well before anything recursive could suffer.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
}
