namespace CartGraph.Tests.Api.Introspection;

/// <summary>
/// The introspection query tools send: graphql-js's <c>getIntrospectionQuery()</c> (graphql 16.15) with every option on
/// (descriptions, specifiedByUrl, directiveIsRepeatable, schemaDescription, inputValueDeprecation, oneOf), byte for byte
/// as GraphQL Code Generator, Apollo Rover, GraphiQL and Altair send it.
/// </summary>
public static class StandardIntrospection
{
    public static readonly string Query = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Api", "Introspection", "StandardIntrospection.graphql"));

    /// <summary>The standard query with <paramref name="rootFields"/> beside <c>__schema</c>, and a variable <c>$t: ID!</c> for them.</summary>
    public static string With(string rootFields) =>
        Query.Replace("query IntrospectionQuery {", "query IntrospectionQuery($t: ID!) {\n  " + rootFields, StringComparison.Ordinal);
}
