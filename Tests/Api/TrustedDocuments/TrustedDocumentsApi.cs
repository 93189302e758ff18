using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CartGraph.Api.GraphQL.Documents;
using CartGraph.Tests.Api.EndToEnd;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace CartGraph.Tests.Api.TrustedDocuments;

/// <summary>
/// One database, four instances: <see cref="ApiServer.BaseAddress"/> as configured by default (open), and three with
/// <c>Security:TrustedDocumentsOnly=true</c>: in Development, in Development with <c>Security:AllowIntrospection=true</c>,
/// and in Production.
/// </summary>
public sealed partial class TrustedDocumentsApi(IMessageSink diagnostics) : IAsyncLifetime
{
    public ApiServer Api { get; } = new(diagnostics);

    public Uri Strict { get; private set; } = null!;

    public Uri StrictWithIntrospection { get; private set; } = null!;

    public Uri StrictInProduction { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        Strict = await Api.StartAnotherAsync(builder => builder.Configuration["Security:TrustedDocumentsOnly"] = "true");
        StrictWithIntrospection = await Api.StartAnotherAsync(builder =>
        {
            builder.Configuration["Security:TrustedDocumentsOnly"] = "true";
            builder.Configuration["Security:AllowIntrospection"] = "true";
        });
        StrictInProduction = await Api.StartAnotherAsync(builder =>
        {
            builder.Environment.EnvironmentName = Environments.Production;
            builder.Configuration["Security:TrustedDocumentsOnly"] = "true";
        });
    }

    public Task DisposeAsync() => Api.DisposeAsync();

    /// <summary>The id of the trusted document holding operation <paramref name="operation"/> of Api/Operations.</summary>
    public static string IdOf(string operation) =>
        OperationManifest.Documents.Single(d => Regex.IsMatch(d.Value, $@"\b(query|mutation|subscription) {operation}\b")).Key;

    /// <summary>The text the manifest holds for that operation.</summary>
    public static string TextOf(string operation) => OperationManifest.Documents[IdOf(operation)];
}

public static class DocumentRequests
{
    /// <summary>POSTs any request body (documentId, extensions...) and keeps the whole answer.</summary>
    public static async Task<GraphQLResponse> PostAsync(this HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("/graphql", body);
        return await ReadAsync(response);
    }

    /// <summary>GETs /graphql with the given parameters, each as the spec encodes it (JSON for variables and extensions).</summary>
    public static async Task<GraphQLResponse> GetAsync(this HttpClient http, IReadOnlyDictionary<string, object> parameters)
    {
        var query = string.Join("&", parameters.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value as string ?? System.Text.Json.JsonSerializer.Serialize(p.Value))));
        using var response = await http.GetAsync("/graphql?" + query);
        return await ReadAsync(response);
    }

    private static async Task<GraphQLResponse> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            JsonNode.Parse(body) ?? throw new InvalidOperationException($"no JSON: {body}"));
    }
}
