using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>What every cart command's input has: the tenant, the cart, and optionally the version it expects.</summary>
public interface ICommandInput
{
    string TenantId { get; }
    string? CartId { get; }
    long? ExpectedVersion { get; }
}

// NOTE: GraphQL.NET's analyzer sees only the interface, whose properties have no setter; each concrete input is a record
// whose constructor takes these fields, and the end-to-end specs run every mutation, so a field that failed to bind would show.
#pragma warning disable GQL007
/// <summary>An input type with the fields every cart command takes: the tenant, the cart and an optional expected version.</summary>
public abstract class CommandInputType<TInput> : InputObjectGraphType<TInput>
    where TInput : ICommandInput
{
    protected CommandInputType(string name, string description, bool cartIdRequired = true)
    {
        Name = name;
        Description = description;
        Field<NonNullGraphType<IdGraphType>>("tenantId").Description("The tenant the cart belongs to.");
        if (cartIdRequired) Field<NonNullGraphType<IdGraphType>>("cartId").Description("The cart.");
    }

    /// <summary>Last of every input's fields.</summary>
    protected void ExpectedVersionField() =>
        Field<LongGraphType>("expectedVersion")
            .Description("Apply only if the cart is at this version (its `version`); otherwise a ConcurrencyConflictError.");
}
#pragma warning restore GQL007
