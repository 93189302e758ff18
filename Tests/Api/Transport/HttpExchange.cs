using System.Net;
using System.Text;
using System.Text.Json;

namespace CartGraph.Tests.Api.Transport;

/// <summary>One HTTP request to the GraphQL endpoint and what came back, body parsed as JSON.</summary>
public sealed record HttpExchange(HttpStatusCode Status, string? MediaType, string? Charset, string Text, HttpResponseMessage Response)
{
    public JsonElement Body => JsonDocument.Parse(Text).RootElement;

    public bool HasData => Body.TryGetProperty("data", out _);

    public JsonElement Data => Body.GetProperty("data");

    public JsonElement FirstError => Body.GetProperty("errors")[0];

    public string? FirstErrorCode => FirstError.TryGetProperty("extensions", out var extensions) ? extensions.GetProperty("code").GetString() : null;

    public const string Json = "application/json";
    public const string GraphQLResponse = "application/graphql-response+json";

    public static Task<HttpExchange> PostAsync(TransportServer server, string body, string? accept = null, string? contentType = Json) =>
        SendAsync(server, HttpMethod.Post, server.HttpEndpoint, accept, Content(body, contentType));

    public static Task<HttpExchange> PostAsync(TransportServer server, object request, string? accept = null) =>
        PostAsync(server, JsonSerializer.Serialize(request), accept);

    public static Task<HttpExchange> GetAsync(TransportServer server, string queryString, string? accept = null) =>
        SendAsync(server, HttpMethod.Get, new Uri(server.HttpEndpoint + queryString), accept, null);

    public static async Task<HttpExchange> SendAsync(TransportServer server, HttpMethod method, Uri uri, string? accept, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new HttpExchange(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.CharSet, text, response);
    }

    public static string Query(string query, object? variables = null, string? operationName = null) =>
        "?query=" + Uri.EscapeDataString(query)
        + (variables is null ? "" : "&variables=" + Uri.EscapeDataString(JsonSerializer.Serialize(variables)))
        + (operationName is null ? "" : "&operationName=" + Uri.EscapeDataString(operationName));

    static ByteArrayContent Content(string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}

/// <summary>A body of unknown length, sent chunked, so the server cannot refuse it from Content-Length alone.</summary>
public sealed class ChunkedContent(byte[] bytes) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < bytes.Length; offset += 512)
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(512, bytes.Length - offset)));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
