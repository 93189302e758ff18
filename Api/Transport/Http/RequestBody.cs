using System.Buffers;
using System.Text.Json;
using CartGraph.Api.Transport.Execution;
using Microsoft.Net.Http.Headers;

namespace CartGraph.Api.Transport.Http;

/// <summary>A POST body: read only when it is JSON in UTF-8 and within the size limit.</summary>
internal abstract record RequestBody
{
    private RequestBody() { }

    public sealed record Read(RequestRead Request) : RequestBody;

    /// <summary>415: no Content-Type, or one other than <c>application/json</c> in UTF-8.</summary>
    public sealed record UnsupportedMediaType : RequestBody;

    /// <summary>413: longer than the limit.</summary>
    public sealed record TooLarge(int Limit) : RequestBody;

    public static async Task<RequestBody> ReadAsync(HttpRequest request, int limit, TransportJson json, CancellationToken cancel)
    {
        // NOTE: only application/json: form and multipart bodies are "simple" CORS requests, and the spec needs no other.
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(MediaTypes.Json, StringComparison.OrdinalIgnoreCase)
            || contentType.Charset.Length > 0 && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            return new UnsupportedMediaType();
        if (request.ContentLength > limit) return new TooLarge(limit);

        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
            {
                if (body.Length + read > limit) return new TooLarge(limit);
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        try
        {
            using var document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), TransportJson.DocumentOptions);
            return new Read(RequestParsing.FromJson(document.RootElement, json.Options));
        }
        catch (JsonException e)
        {
            return new Read(new RequestRead.Malformed($"The body is not valid JSON: {e.Message}"));
        }
    }
}
