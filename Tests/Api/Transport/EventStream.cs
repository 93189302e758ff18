using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.Transport;

/// <summary>One Server-Sent Events message: its type (<c>event:</c>), id (<c>id:</c>) and data lines joined.</summary>
public sealed record ServerSentEvent(string Event, string? Id, string Data)
{
    public JsonNode? Json => Data.Length == 0 ? null : JsonNode.Parse(Data);
}

/// <summary>A raw GraphQL-over-SSE request (distinct connections mode) read message by message, as a browser's
/// EventSource reads it: comment lines skipped, fields split at the first colon.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private EventStream(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => response;

    /// <summary>POSTs <paramref name="query"/> with <c>Accept: text/event-stream</c>; the response as soon as its headers arrive.</summary>
    public static async Task<EventStream> OpenAsync(
        HttpClient http, Uri endpoint, string? token, string query, object? variables, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The whole body, for a response that is no stream (a request refused before it started).</summary>
    public Task<string> ReadToEndAsync() => reader.ReadToEndAsync();

    /// <summary>The next message, or null when the server ended the response.</summary>
    public async Task<ServerSentEvent?> ReadAsync(TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(15));
        string? type = null, id = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is null && data.Count == 0) continue;
                return new ServerSentEvent(type ?? "message", id, string.Join('\n', data));
            }
            if (line.StartsWith(':')) continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "data": data.Add(value); break;
            }
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
