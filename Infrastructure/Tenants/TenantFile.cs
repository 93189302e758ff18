using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;

namespace CartGraph.Infrastructure.Tenants;

/// <summary>
/// Reads a tenant export. <see cref="CheckAsync"/> reads it whole before anything is written, so that a file that is
/// not an export, of another version, malformed, truncated, or with a hole in a stream changes nothing.
/// </summary>
public static class TenantFile
{
    /// <summary>Writes one record as one line.</summary>
    public static async Task WriteAsync(Stream output, TenantRecord record, CancellationToken ct)
    {
        await output.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(record, TenantRecord.Json), ct);
        output.WriteByte((byte)'\n');
    }

    /// <summary>The header, once every line has been read and found to fit; the first problem otherwise.</summary>
    public static async Task<Either<TenantError, TenantRecord.Header>> CheckAsync(
        string path, IProgress<TenantProgress>? progress = null, CancellationToken ct = default)
    {
        if (!File.Exists(path)) return new TenantError.FileNotFound(path);
        await using var file = File.OpenRead(path);
        using var reader = new StreamReader(file, Encoding.UTF8);
        var read = ReadHeader(path, await reader.ReadLineAsync(ct));
        if (read.Case is not TenantRecord.Header header) return read;

        var streams = new Dictionary<(string Id, bool Archived), (long Position, long Next)>();
        var (streamLines, messageLines) = (0L, 0L);
        for (var line = 2L; await reader.ReadLineAsync(ct) is { } text; line++)
        {
            var (record, problem) = Parse(text);
            problem ??= record switch
            {
                TenantRecord.Stream stream => CheckStream(stream, messageLines, streams, ref streamLines),
                TenantRecord.Message message => CheckMessage(message, streams, ref messageLines),
                _ => "a second header.",
            };
            if (problem is not null) return new TenantError.Malformed(path, line, problem);
            if (line % 1000 == 0) progress?.Report(new TenantProgress("checking", file.Position, file.Length));
        }
        progress?.Report(new TenantProgress("checking", file.Length, file.Length));

        if (streamLines != header.Streams || messageLines != header.Messages)
            return new TenantError.Malformed(path, 0,
                $"the header announces {header.Streams} stream(s) and {header.Messages} message(s), the file holds {streamLines} and {messageLines}: is it truncated?");
        if (streams.FirstOrDefault(s => s.Value.Next != s.Value.Position + 1) is { Key.Id: not null } incomplete)
            return new TenantError.Malformed(path, 0,
                $"stream '{incomplete.Key.Id}' is at position {incomplete.Value.Position} but the file holds its messages up to {incomplete.Value.Next - 1} only.");
        return header;
    }

    /// <summary>The records after the header, of a file <see cref="CheckAsync"/> accepted.</summary>
    public static async IAsyncEnumerable<TenantRecord> ReadAsync(string path, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        await reader.ReadLineAsync(ct);
        while (await reader.ReadLineAsync(ct) is { } text)
            yield return JsonSerializer.Deserialize<TenantRecord>(text, TenantRecord.Json)!;
    }

    private static Either<TenantError, TenantRecord.Header> ReadHeader(string path, string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return new TenantError.NotAnExport(path, "its first line is empty.");
        JsonElement root;
        try
        {
            root = JsonElement.Parse(line);
        }
        catch (JsonException)
        {
            return new TenantError.NotAnExport(path, "its first line is not JSON (a tenant export is NDJSON, a header line first).");
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String)
            return new TenantError.NotAnExport(path, "its first line names no format.");
        if (format.GetString() != TenantRecord.FormatName)
            return new TenantError.NotAnExport(path, $"it names the format '{format.GetString()}', not '{TenantRecord.FormatName}'.");
        if (root.TryGetProperty("version", out var version) && version.TryGetInt32(out var number) && number != TenantRecord.CurrentVersion)
            return new TenantError.UnsupportedVersion(path, number);
        var (record, problem) = Parse(line);
        if (problem is not null) return new TenantError.Malformed(path, 1, problem);
        if (record is not TenantRecord.Header header) return new TenantError.Malformed(path, 1, "the first line is not the header.");
        return TenantId.Create(header.Tenant, "tenant").Match<Either<TenantError, TenantRecord.Header>>(
            _ => header, errors => new TenantError.Malformed(path, 1, $"{errors.Head.Message}."));
    }

    /// <summary>The record of a line, or what is wrong with it (System.Text.Json's words, without its position details).</summary>
    private static (TenantRecord? Record, string? Problem) Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return (null, "an empty line.");
        try
        {
            return JsonSerializer.Deserialize<TenantRecord>(line, TenantRecord.Json) is { } record ? (record, null) : (null, "a null record.");
        }
        catch (JsonException e)
        {
            return (null, e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].Replace(typeof(TenantRecord).FullName + "+", "", StringComparison.Ordinal));
        }
    }

    private static string? CheckStream(
        TenantRecord.Stream stream, long messageLines, Dictionary<(string, bool), (long Position, long Next)> streams, ref long count)
    {
        count++;
        if (messageLines > 0) return "a stream after the first message (streams come first).";
        if (StreamIds.Problem(stream.Id).Case is string problem) return problem;
        if (string.IsNullOrWhiteSpace(stream.Type)) return $"stream '{stream.Id}' has no type.";
        if (stream.Position < 1) return $"stream '{stream.Id}' is at position {stream.Position}; a stream holds at least one message.";
        return streams.TryAdd((stream.Id, stream.Archived), (stream.Position, 1)) ? null : $"stream '{stream.Id}' appears twice.";
    }

    private static string? CheckMessage(TenantRecord.Message message, Dictionary<(string, bool), (long Position, long Next)> streams, ref long count)
    {
        count++;
        var key = (message.StreamId, message.Archived);
        if (!streams.TryGetValue(key, out var stream))
            return $"a message of stream '{message.StreamId}'{(message.Archived ? " (archived)" : "")}, which no stream line declares.";
        if (message.StreamPosition != stream.Next)
            return $"message {message.StreamPosition} of stream '{message.StreamId}' where {stream.Next} was due (each stream's messages come in position order, without holes).";
        if (message.StreamPosition > stream.Position)
            return $"message {message.StreamPosition} of stream '{message.StreamId}', which is at position {stream.Position}.";
        if (string.IsNullOrWhiteSpace(message.Id) || string.IsNullOrWhiteSpace(message.Type) || string.IsNullOrEmpty(message.SchemaVersion))
            return "a message without an id, a type or a schema version.";
        if (message.Kind.Length != 1) return $"message kind '{message.Kind}' is not one character.";
        streams[key] = stream with { Next = stream.Next + 1 };
        return null;
    }
}
