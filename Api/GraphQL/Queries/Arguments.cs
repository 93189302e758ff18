using CartGraph.Api.Transport;
using CartGraph.Api.Security;
using CartGraph.Domain.Values;
using GraphQL;

namespace CartGraph.Api.GraphQL.Queries;

/// <summary>
/// Arguments of queries and subscriptions, validated like commands' input. Queries have no payload to carry
/// errors, so a problem is a GraphQL error with a code: VALIDATION_ERROR or FORBIDDEN.
/// </summary>
internal static class Arguments
{
    /// <summary>The tenant, if valid and the caller may act for it.</summary>
    public static TenantId Tenant(IResolveFieldContext context, TenantAccess access)
    {
        var tenant = TenantId.Create(context.GetArgument<string>("tenantId"))
            .Match(t => t, errors => throw Invalid(errors.Head));
        return Permitted(context, access, tenant);
    }

    /// <summary>The tenant, if the caller may act for it; FORBIDDEN otherwise.</summary>
    public static TenantId Permitted(IResolveFieldContext context, TenantAccess access, TenantId tenant) =>
        access.Allows(GraphQLUserContext.Of(context).User, tenant)
            ? tenant
            : throw new ExecutionError($"You may not act for tenant '{tenant}'.") { Code = "FORBIDDEN" };

    public static string CartId(IResolveFieldContext context, string name = "cartId") =>
        Domain.Values.CartId.Create(context.GetArgument<string>(name), name).Match(c => c.Value, errors => throw Invalid(errors.Head));

    public static string? OptionalCartId(IResolveFieldContext context) =>
        context.GetArgument<string?>("cartId") is null ? null : CartId(context);

    public static ExecutionError Invalid(InvalidInput input) => new(input.Message) { Code = "VALIDATION_ERROR" };

    public static ExecutionError Invalid(string message) => new(message) { Code = "VALIDATION_ERROR" };
}
