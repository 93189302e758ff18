using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Queries;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation.Complexity;
using CartGraph.Api.Security;
using GraphQL.MicrosoftDI;

namespace CartGraph.Api.GraphQL.Relay;

/// <summary>
/// Relay's <c>node(id:)</c> and <c>nodes(ids:)</c> on Query: any object with a global id fetched again by it. An id
/// naming no object is null; one for a tenant the token does not name is FORBIDDEN; one that is no id of ours is a
/// VALIDATION_ERROR. In <c>nodes</c> each id stands alone: its error is at its own index, the others are answered.
/// </summary>
public static class NodeFields
{
    public const int MaxIds = 100;

    public static void AddNodeFields(this ObjectGraphType query)
    {
        query.Field<NodeInterface>("node")
            .Description("The object with this global id, or null when there is none (Relay). FORBIDDEN for a tenant the token does not name.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "A global id, e.g. a Cart's id.")
            .Resolve()
            .WithServices<TenantAccess, CartReads>()
            .ResolveAsync(async (context, access, reads) => await FindAsync(context, access, reads, context.GetArgument<string>("id")));

        query.Field<NonNullGraphType<ListGraphType<NodeInterface>>>("nodes")
            .Description($"The objects with these global ids, in their order, null where there is none (Relay). At most {MaxIds} ids.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids", $"1 to {MaxIds} global ids.")
            // Each id is one read: the cost is counted per id given, not as a list of unknown length.
            .WithComplexityImpact(context => new FieldComplexityResult(1, context.Arguments?.TryGetValue("ids", out var ids) == true && ids.Value is IEnumerable<object> given ? given.Count() : MaxIds))
            .Resolve()
            .WithServices<TenantAccess, CartReads>()
            .ResolveAsync(async (context, access, reads) =>
            {
                var ids = context.GetArgument<List<string>>("ids");
                if (ids.Count > MaxIds) throw Arguments.Invalid($"ids holds {ids.Count} ids; at most {MaxIds} may be asked at once.");
                var found = new object?[ids.Count];
                for (var i = 0; i < ids.Count; i++)
                {
                    try
                    {
                        found[i] = await FindAsync(context, access, reads, ids[i]);
                    }
                    catch (ExecutionError error)
                    {
                        error.Path = [.. context.Path, i];
                        error.AddLocation(context.FieldAst, context.Document);
                        context.Errors.Add(error);
                    }
                }
                return (object)found;
            });
    }

    private static async Task<object?> FindAsync(IResolveFieldContext context, TenantAccess access, CartReads reads, string id)
    {
        var named = GlobalId.Parse(id) ?? throw Arguments.Invalid($"'{id}' is not a global id of this API: use the id of an object it returned.");
        var tenant = Arguments.Permitted(context, access, named.Tenant);
        return await reads.GetAsync(tenant, named.Id, context.CancellationToken);
    }
}
