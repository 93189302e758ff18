using System.Text.Json;
using CartGraph.Api.Transport.Persisted;
using GraphQL;
using Microsoft.Extensions.Primitives;

namespace CartGraph.Api.Transport.Execution;

/// <summary>Reads the request parameters {query or documentId, operationName, variables, extensions} from a JSON object
/// (HTTP POST, WebSocket subscribe) or a query string (HTTP GET), checking each one's type as the GraphQL-over-HTTP spec
/// asks, and Apollo's <c>extensions.persistedQuery</c> when there is one.</summary>
internal static class RequestParsing
{
    public static RequestRead FromJson(JsonElement body, JsonSerializerOptions json)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return Malformed("The request must be a JSON object with a \"query\" string.");

        string? query = null, documentId = null, operationName = null;
        Inputs? variables = null, extensions = null;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            var problem = property.Name switch
            {
                "query" => String(value, "query", out query),
                "documentId" => String(value, "documentId", out documentId),
                "operationName" => String(value, "operationName", out operationName),
                "variables" => Map(value, "variables", json, out variables),
                "extensions" => Map(value, "extensions", json, out extensions),
                _ => null, // NOTE: other names are reserved by the spec; ignoring them keeps clients that send more working.
            };
            if (problem is not null) return Malformed(problem);
        }
        return Read(query, documentId, operationName, variables, extensions);
    }

    public static RequestRead FromQueryString(IQueryCollection parameters, JsonSerializerOptions json)
    {
        if (Single(parameters, "query", out var query) is { } queryProblem) return Malformed(queryProblem);
        if (Single(parameters, "documentId", out var documentId) is { } idProblem) return Malformed(idProblem);
        if (Single(parameters, "operationName", out var operationName) is { } nameProblem) return Malformed(nameProblem);
        if (JsonParameter(parameters, "variables", json, out var variables) is { } variablesProblem) return Malformed(variablesProblem);
        if (JsonParameter(parameters, "extensions", json, out var extensions) is { } extensionsProblem) return Malformed(extensionsProblem);
        return Read(query, documentId, operationName, variables, extensions);
    }

    private const string MissingQuery =
        "The request has no \"query\": a GraphQL document as a string is required (or the \"documentId\" of a persisted document).";

    private static RequestRead Read(string? query, string? documentId, string? operationName, Inputs? variables, Inputs? extensions)
    {
        if (PersistedQueryExtension.Read(extensions, query, out var hash) is { } problem) return Malformed(problem);
        RequestedDocument? document = (documentId, hash, query) switch
        {
            ({ }, _, { }) or ({ }, { }, _) => null,
            ({ } id, null, null) => new RequestedDocument.ById(id),
            (null, { } persisted, _) => persisted,
            (null, null, { } text) => new RequestedDocument.Text(text),
            _ => null,
        };
        if (document is null)
            return Malformed(documentId is null ? MissingQuery : "A request names its document once: by \"documentId\", by \"query\" or by extensions.persistedQuery.");
        if (document is RequestedDocument.ById { DocumentId: var given } && !DocumentIds.IsWellFormed(given))
            return Malformed("\"documentId\" must be a document identifier: letters, digits, '-', '.', '_', '~' and ':', e.g. sha256:<64 hex digits>.");
        // The spec: an empty operationName is the same as none.
        return new RequestRead.WellFormed(new OperationRequest(document, string.IsNullOrEmpty(operationName) ? null : operationName, variables, extensions));
    }

    private static RequestRead.Malformed Malformed(string reason) => new(reason);

    private static string? String(JsonElement value, string name, out string? result)
    {
        result = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return value.ValueKind is JsonValueKind.String or JsonValueKind.Null ? null : $"\"{name}\" must be a string.";
    }

    private static string? Map(JsonElement value, string name, JsonSerializerOptions json, out Inputs? result)
    {
        result = null;
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object) return $"\"{name}\" must be a JSON object.";
        try
        {
            result = value.Deserialize<Inputs>(json);
            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            return $"\"{name}\" could not be read: {e.Message}";
        }
        catch (ArgumentException)
        {
            // What the map's reader throws for a name given twice in one object (JSON leaves that undefined).
            return $"\"{name}\" could not be read: an object has the same name twice.";
        }
    }

    private static string? Single(IQueryCollection parameters, string name, out string? value)
    {
        var values = parameters.TryGetValue(name, out var given) ? given : StringValues.Empty;
        value = values.Count == 1 ? values[0] : null;
        return values.Count > 1 ? $"\"{name}\" must be given at most once." : null;
    }

    private static string? JsonParameter(IQueryCollection parameters, string name, JsonSerializerOptions json, out Inputs? result)
    {
        result = null;
        if (Single(parameters, name, out var text) is { } problem) return problem;
        if (text is null) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return Map(document.RootElement, name, json, out result);
        }
        catch (JsonException)
        {
            return $"\"{name}\" must be a JSON-encoded object.";
        }
    }
}
