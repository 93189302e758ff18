using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Errors;

/// <summary>An object type for one error case: <c>message</c>, <c>code</c> and its own details.</summary>
public abstract class ErrorType<TError> : ObjectGraphType<TError>
{
    protected ErrorType(string name, string description, Func<TError, string> message, Func<TError, string> code)
    {
        Name = name;
        Description = description;
        Interface<ErrorInterface>();
        IsTypeOf = value => value is TError;
        Field<NonNullGraphType<StringGraphType>>("message").Description("A sentence for people.").Resolve(c => message(c.Source));
        Field<NonNullGraphType<StringGraphType>>("code").Description("A stable code for programs.").Resolve(c => code(c.Source));
    }
}

/// <summary>The type of one of the decider's own errors: its code and message are the <see cref="CartError"/>'s.</summary>
public abstract class CartErrorType<TError>(string name, string description)
    : ErrorType<TError>(name, description, e => e.Message, e => e.Code)
    where TError : CartError;

/// <summary>The type of one of the failures the carts' service adds around the decider (<see cref="CartFailure"/>).</summary>
public abstract class FailureType<TError>(string name, string description)
    : ErrorType<TError>(name, description, e => e.Message, e => e.Code)
    where TError : CartFailure;
