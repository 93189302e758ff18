using System.Buffers;
using System.Text.Json;
using GraphQL;

namespace CartGraph.Api.Transport.Execution;

/// <summary>
/// A subscription's result delivered as it is to several subscribers (one execution of one event for all those with the
/// same document, operation and variables): the transports serialize it once, the first time one of them writes it,
/// and frame those bytes for each socket or event stream.
/// </summary>
internal sealed class SharedResult(ExecutionResult result) : ExecutionResult(result)
{
    private Serialized? serialized;

    private sealed record Serialized(JsonSerializerOptions Options, ReadOnlyMemory<byte> Utf8);

    /// <summary>The result as compact UTF-8 JSON, exactly as <see cref="JsonSerializer"/> writes it with these options.</summary>
    public ReadOnlyMemory<byte> Utf8Json(JsonSerializerOptions options)
    {
        if (Volatile.Read(ref serialized) is { } done && ReferenceEquals(done.Options, options)) return done.Utf8;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer)) JsonSerializer.Serialize<ExecutionResult>(writer, this, options);
        var mine = new Serialized(options, buffer.WrittenMemory);
        // Two writers at once both serialize the same bytes; either copy serves.
        Interlocked.CompareExchange(ref serialized, mine, null);
        return mine.Utf8;
    }

    /// <summary>The JSON of any result: a shared one's kept bytes, another's written now.</summary>
    public static ReadOnlyMemory<byte> Utf8JsonOf(ExecutionResult result, JsonSerializerOptions options) =>
        result is SharedResult shared ? shared.Utf8Json(options) : JsonSerializer.SerializeToUtf8Bytes(result, options);
}
