using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>What every cart command's input has: the tenant, the cart, and optionally the version it expects.</summary>
public interface ICommandInput
{
    string TenantId { get; }
    string? CartId { get; }
    long? ExpectedVersion { get; }
    string? IdempotencyKey { get; }
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

    /// <summary>Last of every input's fields: the version it expects and its idempotency key.</summary>
    /// <param name="idempotencyKey">False for archiveCart, which appends no event to carry a key.</param>
    protected void ExpectedVersionField(bool idempotencyKey = true)
    {
        Field<LongGraphType>("expectedVersion")
            .Description("Apply only if the cart is at this version (its `version`); otherwise a ConcurrencyConflictError.");
        if (!idempotencyKey) return;
        Field<StringGraphType>("idempotencyKey")
            .Description($"Names this command (1 to {Domain.Values.IdempotencyKey.MaxLength} printable characters) so that sending it again " +
                         "does it once: a repeat on the same cart answers the first outcome; other input with the same key is an IdempotencyKeyReusedError.");
    }
}
#pragma warning restore GQL007
