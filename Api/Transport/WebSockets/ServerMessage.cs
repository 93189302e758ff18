using System.Text.Json;
using GraphQL;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>A message the server sends under graphql-transport-ws.</summary>
internal abstract record ServerMessage
{
    private ServerMessage() { }

    public sealed record ConnectionAck(IReadOnlyDictionary<string, object?>? Payload) : ServerMessage;

    /// <summary>The answer to a ping, echoing its payload.</summary>
    public sealed record Pong(JsonElement? Payload) : ServerMessage;

    public sealed record Next(string Id, ExecutionResult Result) : ServerMessage;

    /// <summary>Ends an operation that failed before (or instead of) producing results; no complete follows.</summary>
    public sealed record Error(string Id, IReadOnlyList<ExecutionError> Errors) : ServerMessage;

    public sealed record Complete(string Id) : ServerMessage;

    public void WriteTo(Utf8JsonWriter writer, JsonSerializerOptions json)
    {
        writer.WriteStartObject();
        switch (this)
        {
            case ConnectionAck ack:
                writer.WriteString("type", "connection_ack");
                if (ack.Payload is { } payload)
                {
                    writer.WritePropertyName("payload");
                    JsonSerializer.Serialize(writer, payload, json);
                }
                break;
            case Pong pong:
                writer.WriteString("type", "pong");
                if (pong.Payload is { } echoed)
                {
                    writer.WritePropertyName("payload");
                    echoed.WriteTo(writer);
                }
                break;
            case Next next:
                writer.WriteString("id", next.Id);
                writer.WriteString("type", "next");
                writer.WritePropertyName("payload");
                if (next.Result is Execution.SharedResult shared) writer.WriteRawValue(shared.Utf8Json(json).Span, skipInputValidation: true);
                else JsonSerializer.Serialize(writer, next.Result, json);
                break;
            case Error error:
                writer.WriteString("id", error.Id);
                writer.WriteString("type", "error");
                writer.WritePropertyName("payload");
                JsonSerializer.Serialize(writer, error.Errors, json);
                break;
            case Complete complete:
                writer.WriteString("id", complete.Id);
                writer.WriteString("type", "complete");
                break;
        }
        writer.WriteEndObject();
    }

    /// <summary>The errors of a result that was not executed, as an error message's payload.</summary>
    public static Error ErrorOf(string id, ExecutionResult result) =>
        new(id, result.Errors is { Count: > 0 } errors ? [.. errors] : [new ExecutionError("The operation could not be executed.")]);
}
