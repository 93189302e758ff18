namespace CartGraph.Api.Transport.Http;

/// <summary>The media types the HTTP transport speaks.</summary>
internal static class MediaTypes
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";
    public const string Html = "text/html";
    public const string EventStream = "text/event-stream";

    /// <summary>The response types (an event stream runs the operation over SSE), in the server's order of preference (used only to break exact ties).</summary>
    public static readonly IReadOnlyList<string> Responses = [GraphQLResponse, Json, EventStream];

    /// <summary>The response types plus an IDE's page, for a GET when an IDE is served.</summary>
    public static readonly IReadOnlyList<string> ResponsesOrIde = [GraphQLResponse, Json, EventStream, Html];

    public static string WithCharset(string mediaType) => mediaType + "; charset=utf-8";
}
