using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CartGraph.Api.GraphQL.Types;

/// <summary>The <c>JSON</c> scalar: any JSON value, as events store their data.</summary>
public sealed class JsonGraphType : ScalarGraphType
{
    public JsonGraphType()
    {
        Name = "JSON";
        Description = "Any JSON value: an object, an array, a string, a number, a boolean or null.";
    }

    public override object? ParseLiteral(GraphQLValue value) =>
        throw new NotSupportedException("JSON is an output type here.");

    public override object? ParseValue(object? value) =>
        throw new NotSupportedException("JSON is an output type here.");

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        JsonElement element => element,
        _ => JsonSerializer.SerializeToElement(value),
    };
}
