using System.Net.Http.Headers;
using System.Text;

namespace CartGraph.Tests.Api.Security;

/// <summary>One request of the fuzz test, kept as data so that a failure prints exactly what was sent.</summary>
public sealed record FuzzedRequest(int Index, string Kind, HttpMethod Method, string PathAndQuery, byte[]? Body, string? ContentType, string? Accept, bool Chunked = false)
{
    /// <summary>Everything the client said, as text: what a response may echo without having leaked it.</summary>
    public string Text => $"{Uri.UnescapeDataString(PathAndQuery)} {(Body is null ? "" : Encoding.UTF8.GetString(Body))}";

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, PathAndQuery);
        if (Accept is not null) message.Headers.TryAddWithoutValidation("Accept", Accept);
        if (Body is null) return message;
        message.Content = Chunked ? new StreamContent(new MemoryStream(Body)) : new ByteArrayContent(Body);
        if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        if (Chunked) message.Headers.TransferEncodingChunked = true;
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "(none)" : Preview(Encoding.UTF8.GetString(Body), Body.Length);
        return $"#{Index} [{Kind}] {Method} {Preview(PathAndQuery, PathAndQuery.Length)} Content-Type: {ContentType ?? "(none)"} Accept: {Accept ?? "(none)"}"
            + $"{(Chunked ? " chunked" : "")} body: {body}";
    }

    private static string Preview(string text, int length) =>
        text.Length <= 600 ? text : $"{text[..300]} ...({length} in all)... {text[^200..]}";
}

/// <summary>How a request came out.</summary>
public sealed record FuzzOutcome(FuzzedRequest Request, int? Status, string? MediaType, string Body, string? Failure);

public static class MediaTypeHeaders
{
    public static string? Of(HttpResponseMessage response) => response.Content.Headers.ContentType is MediaTypeHeaderValue type ? type.MediaType : null;
}
