using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Errors;

/// <summary>The <c>Error</c> interface every payload error implements, as HotChocolate's mutation conventions have it.</summary>
public sealed class ErrorInterface : InterfaceGraphType
{
    public ErrorInterface()
    {
        Name = "Error";
        Description = "Why a mutation changed nothing. Every error type also carries the details of its case.";
        Field<NonNullGraphType<StringGraphType>>("message").Description("A sentence for people.");
        Field<NonNullGraphType<StringGraphType>>("code").Description("A stable code for programs, e.g. INSUFFICIENT_QUANTITY.");
    }
}
