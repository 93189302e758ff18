namespace CartGraph.Api.Transport.Http;

/// <summary>The media types the HTTP transport speaks.</summary>
internal static class MediaTypes
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";
    public const string Html = "text/html";

    /// <summary>The response types, in the server's order of preference (used only to break exact ties).</summary>
    public static readonly IReadOnlyList<string> Responses = [GraphQLResponse, Json];

    /// <summary>The response types plus an IDE's page, for a GET when an IDE is served.</summary>
    public static readonly IReadOnlyList<string> ResponsesOrIde = [GraphQLResponse, Json, Html];

    public static string WithCharset(string mediaType) => mediaType + "; charset=utf-8";
}
