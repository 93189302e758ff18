using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Errors;

/// <summary>
/// The errors one mutation can give: a union named <c>{Mutation}Error</c> of its own members, then those every
/// mutation can give (invalid input, a tenant not allowed or over its rate, a conflict, a cart that cannot be read, an idempotency key reused).
/// </summary>
public abstract class ErrorUnion : UnionGraphType
{
    protected ErrorUnion(string name, params Type[] members)
    {
        Name = name;
        Description = $"An error of {char.ToLowerInvariant(name[0])}{name[1..^"Error".Length]}; every member implements Error.";
        foreach (var member in members) Type(member);
        Type<ValidationErrorType>();
        Type<ForbiddenErrorType>();
        Type<RateLimitedErrorType>();
        Type<ConcurrencyConflictErrorType>();
        Type<CartUnreadableErrorType>();
        Type<IdempotencyKeyReusedErrorType>();
    }
}

/// <summary>
/// The error union of a mutation that sends <typeparamref name="TCommand"/> to the decider: its members must cover every
/// error <see cref="CartErrors.Of"/> lists for that command (a spec checks it).
/// </summary>
public abstract class CommandErrorUnion<TCommand>(string name, params Type[] members) : ErrorUnion(name, members)
    where TCommand : CartCommand;
