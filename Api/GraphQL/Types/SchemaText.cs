using System.Globalization;

namespace CartGraph.Api.GraphQL.Types;

/// <summary>Numbers as the schema's descriptions write them, so a limit is stated from the constant that enforces it.</summary>
internal static class SchemaText
{
    /// <summary>Thousands set apart by a space: 10 000.</summary>
    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ');
}
