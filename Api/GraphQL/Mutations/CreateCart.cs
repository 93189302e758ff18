using CartGraph.Api.GraphQL.Errors;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary><c>createCart</c>: opens a new cart in a currency; a new UUID names it when the client gives no id.</summary>
internal static class CreateCartMutation
{
    public static void AddTo(CartMutations mutations) =>
        mutations.Command<CreateCartInput, CreateCartInputType, CreateCartError>("createCart",
            "Opens a new cart in a currency.",
            input => CartCommands.CreateCart(input.TenantId, input.CartId ?? NewCartId(input), input.Currency));

    /// <summary>A new UUID; with an idempotency key, the same one for every repeat (a name-based UUID of the tenant and key).</summary>
    private static string NewCartId(CreateCartInput input) =>
        input.IdempotencyKey is { } key ? NameBasedId.Of($"cart\n{input.TenantId}\n{key}").ToString() : Guid.NewGuid().ToString();
}

public sealed record CreateCartInput(string TenantId, string? CartId, string Currency, long? ExpectedVersion, string? IdempotencyKey) : ICommandInput;

public sealed class CreateCartInputType : CommandInputType<CreateCartInput>
{
    public CreateCartInputType() : base("CreateCartInput", "Opens a new cart.", cartIdRequired: false)
    {
        Field<IdGraphType>("cartId").Description($"The new cart's id (at most {CartId.MaxLength} characters); a new UUID when omitted (with an idempotencyKey, derived from it: a repeat names the same cart).");
        Field<NonNullGraphType<StringGraphType>>("currency").Description("Three upper-case letters, e.g. USD.");
        ExpectedVersionField();
    }
}

/// <remarks>An archived cart's id cannot be taken again: to createCart it is a CartArchivedError.</remarks>
public sealed class CreateCartError() : CommandErrorUnion<CartCommand.CreateCart>("CreateCartError",
    typeof(CartAlreadyExistsErrorType), typeof(CartClosedErrorType), typeof(CartArchivedErrorType));
