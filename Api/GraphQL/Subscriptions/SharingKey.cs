using System.Text.Json;
using CartGraph.Api.Security;
using GraphQL.Execution;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace CartGraph.Api.GraphQL.Subscriptions;

/// <summary>
/// What decides a subscription's result for a given event: its document's text, the operation run, its variables as
/// coerced (with whether each was given, defaulted or left out: an argument left out and one given null differ), and
/// the tenants the caller is granted (the only part of the caller any field reads).
/// </summary>
internal sealed record SharingKey(string Query, string? OperationName, string Variables, string Grants)
{
    /// <summary>Hashed once: every subscriber looks its key up on every event.</summary>
    private readonly int hash = HashCode.Combine(Query, OperationName, Variables, Grants);

    public override int GetHashCode() => hash;

    /// <summary>The operation's key; null when its variables cannot be told apart reliably (then it is never shared).</summary>
    public static SharingKey? Of(ExecutionContext context, TenantAccess access)
    {
        var query = context.ExecutionOptions?.Query ?? context.Document.Source.ToString();
        string variables;
        try
        {
            variables = JsonSerializer.Serialize(context.Variables.Select(v => new object?[] { v.Name, v.ValueSpecified, v.IsDefault, v.Value }));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return null;
        }
        var grants = context.User is { } user ? string.Join('\n', access.Tenants(user).Order(StringComparer.Ordinal)) : "";
        return new SharingKey(query, context.Operation.Name?.StringValue, variables, grants);
    }
}
