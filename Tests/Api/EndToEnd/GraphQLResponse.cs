using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>A GraphQL response as a client receives it: the status and the media type are part of the contract.</summary>
public sealed record GraphQLResponse(HttpStatusCode Status, string? MediaType, JsonNode Body)
{
    public JsonNode? Data => Body["data"];

    public JsonArray? Errors => Body["errors"] as JsonArray;

    public IEnumerable<string?> ErrorCodes => Errors?.Select(e => (string?)e!["extensions"]?["code"]) ?? [];

    public override string ToString() => $"{(int)Status} {MediaType} {Body.ToJsonString()}";
}

public static class GraphQLRequests
{
    /// <summary>POSTs an operation as any client does (application/json, no Accept header) and keeps the whole answer.</summary>
    public static async Task<GraphQLResponse> GraphQLAsync(this HttpClient http, string query, object? variables = null)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query, variables });
        var body = await response.Content.ReadAsStringAsync();
        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            JsonNode.Parse(body) ?? throw new InvalidOperationException($"no JSON: {body}"));
    }

    /// <summary>The <c>data</c> of an operation that must run cleanly: 200 and no top-level error.</summary>
    public static async Task<JsonNode> DataOfAsync(this HttpClient http, string query, object? variables = null)
    {
        var response = await http.GraphQLAsync(query, variables);
        Assert.True(response is { Status: HttpStatusCode.OK, Errors: null }, $"Expected clean data, got {response}");
        return response.Data!;
    }

    /// <summary>
    /// The code of the one top-level error of an operation the API refuses to run as asked: a GraphQL error with a
    /// code, answered 200 since execution began (never a 500).
    /// </summary>
    public static async Task<string?> ErrorCodeOfAsync(this HttpClient http, string query, object? variables = null)
    {
        var response = await http.GraphQLAsync(query, variables);
        Assert.True(response is { Status: HttpStatusCode.OK, Errors.Count: 1 }, $"Expected one GraphQL error, got {response}");
        return Assert.Single(response.ErrorCodes);
    }
}
