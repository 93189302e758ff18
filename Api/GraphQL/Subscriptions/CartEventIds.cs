using CartGraph.Api.Carts;
using CartGraph.Api.Transport;
using GraphQL;
using GraphQL.Execution;

namespace CartGraph.Api.GraphQL.Subscriptions;

/// <summary>
/// The seam between the cart feeds and Server-Sent Events: a <c>cartEvents</c> result is sent with its event's cursor as
/// its SSE id, and a request's <c>Last-Event-ID</c> (what EventSource sends on reconnect) stands for <c>after</c>.
/// </summary>
public static class CartEventIds
{
    /// <summary>The cursor of the event a <c>cartEvents</c> result carries (whether the client selected it or not), else null.</summary>
    public static string? Of(ExecutionResult result)
    {
        if (result.Data is not ObjectExecutionNode { SubFields: { } fields }) return null;
        foreach (var field in fields)
            if (field.FieldDefinition?.Name == "cartEvents" && field.Result is CartEventModel model)
                return model.Cursor;
        return null;
    }

    /// <summary>Where a <c>cartEvents</c> subscription resumes: after the last event the client says it received,
    /// by the <c>Last-Event-ID</c> of its reconnection (the newest it knows), else by its <c>after</c> argument.</summary>
    public static string? ResumeAfter(IResolveFieldContext context) =>
        (context.UserContext as GraphQLUserContext)?.LastEventId is { Length: > 0 } lastEventId
            ? lastEventId
            : context.GetArgument<string?>("after");
}
