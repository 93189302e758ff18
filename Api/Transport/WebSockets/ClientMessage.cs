using System.Text.Json;
using CartGraph.Api.Transport.Execution;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>A message a client may send under graphql-transport-ws, or why what it sent is not one (close 4400).</summary>
internal abstract record ClientMessage
{
    private ClientMessage() { }

    public sealed record ConnectionInit(JsonElement? Payload) : ClientMessage;

    public sealed record Ping(JsonElement? Payload) : ClientMessage;

    public sealed record Pong : ClientMessage;

    public sealed record Subscribe(string Id, OperationRequest Request) : ClientMessage;

    public sealed record Complete(string Id) : ClientMessage;

    public sealed record Invalid(string Reason) : ClientMessage;

    public static ClientMessage Parse(ReadOnlyMemory<byte> utf8, JsonSerializerOptions json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, TransportJson.DocumentOptions);
        }
        catch (JsonException)
        {
            return new Invalid("Invalid message: not JSON");
        }
        using (document)
        {
            var message = document.RootElement;
            if (message.ValueKind != JsonValueKind.Object) return new Invalid("Invalid message: not a JSON object");
            if (!message.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return new Invalid("Invalid message: no \"type\" string");
            return type.GetString() switch
            {
                "connection_init" => WithPayload(message, "connection_init", payload => new ConnectionInit(payload)),
                "ping" => WithPayload(message, "ping", payload => new Ping(payload)),
                "pong" => WithPayload(message, "pong", _ => new Pong()),
                "subscribe" => ParseSubscribe(message, json),
                "complete" => IdOf(message) is { } id ? new Complete(id) : new Invalid("Invalid complete message: no \"id\""),
                var other => new Invalid($"Unexpected message of type \"{other}\""),
            };
        }
    }

    private static ClientMessage WithPayload(JsonElement message, string type, Func<JsonElement?, ClientMessage> make) =>
        !message.TryGetProperty("payload", out var payload) || payload.ValueKind == JsonValueKind.Null ? make(null)
        : payload.ValueKind == JsonValueKind.Object ? make(payload.Clone())
        : new Invalid($"Invalid {type} message: \"payload\" must be an object");

    private static ClientMessage ParseSubscribe(JsonElement message, JsonSerializerOptions json)
    {
        if (IdOf(message) is not { } id) return new Invalid("Invalid subscribe message: no \"id\"");
        if (!message.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            return new Invalid("Invalid subscribe message: \"payload\" must be an object");
        return RequestParsing.FromJson(payload, json) switch
        {
            RequestRead.WellFormed { Request: var request } => new Subscribe(id, request),
            RequestRead.Malformed { Reason: var reason } => new Invalid($"Invalid subscribe message: {reason}"),
            _ => new Invalid("Invalid subscribe message"),
        };
    }

    private static string? IdOf(JsonElement message) =>
        message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text ? text : null;
}
