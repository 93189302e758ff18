using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api;

/// <summary>GraphQL over HTTP POST, as any client sends it.</summary>
public static class GraphQLClient
{
    public static async Task<JsonNode> PostAsync(this HttpClient http, string query, object? variables = null)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query, variables });
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(body) ?? throw new InvalidOperationException($"no JSON: {body}");
        if (json["errors"] is JsonArray { Count: > 0 } errors && json["data"] is null)
            throw new InvalidOperationException($"GraphQL errors ({(int)response.StatusCode}): {errors.ToJsonString()}");
        return json;
    }

    /// <summary>The <c>data</c> of a response that must have no error at all.</summary>
    public static async Task<JsonNode> DataAsync(this HttpClient http, string query, object? variables = null)
    {
        var json = await http.PostAsync(query, variables);
        if (json["errors"] is JsonArray { Count: > 0 } errors) throw new InvalidOperationException($"GraphQL errors: {errors.ToJsonString()}");
        return json["data"]!;
    }
}
