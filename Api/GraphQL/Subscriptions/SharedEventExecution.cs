using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CartGraph.Api.Security;
using CartGraph.Api.Transport.Execution;
using GraphQL;
using GraphQL.Execution;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace CartGraph.Api.GraphQL.Subscriptions;

/// <summary>
/// Subscriptions whose results for one event are one execution, however many subscribers it reaches: every subscriber of
/// the same event object (the feeds hand one instance to all their subscribers) with the same <see cref="SharingKey"/>
/// gets the same <see cref="SharedResult"/>, serialized once. The fields of an event read the event and the store of
/// its tenant, nothing of the caller but the tenants it is granted, so equal keys give equal results.
/// </summary>
/// <remarks>
/// A result with errors is never shared: an unexpected error names its own operation's correlation id, and a cancelled
/// execution is its subscriber's alone; each other subscriber then executes the event itself, as without sharing.
/// </remarks>
internal sealed class SharedEventExecution(TenantAccess access) : SubscriptionExecutionStrategy
{
    /// <summary>Per event object, the execution under way or done per key; an event's entry goes with the event.</summary>
    private readonly ConditionalWeakTable<object, ConcurrentDictionary<SharingKey, Task<ExecutionResult>>> executions = new();

    /// <summary>Each operation's key, computed on its first event (per operation: its user context is its own).</summary>
    private readonly ConditionalWeakTable<object, Known> keys = new();

    private sealed record Known(GraphQLParser.AST.GraphQLDocument Document, SharingKey Key);

    /// <summary>What the others are told when the execution they waited for failed: not theirs to use.</summary>
    private static readonly ExecutionResult NotShared = new();

    protected override async ValueTask<ExecutionResult> ProcessDataAsync(ExecutionContext context, ExecutionNode node, object? value)
    {
        if (value is null || value.GetType().IsValueType || KeyOf(context) is not { } key)
            return await base.ProcessDataAsync(context, node, value);
        var ofEvent = executions.GetValue(value, _ => new());
        if (ofEvent.TryGetValue(key, out var started)) return await SharedOrOwnAsync(started, context, node, value);
        var mine = new TaskCompletionSource<ExecutionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = ofEvent.GetOrAdd(key, mine.Task);
        if (running != mine.Task) return await SharedOrOwnAsync(running, context, node, value);
        try
        {
            var result = await base.ProcessDataAsync(context, node, value);
            var outcome = result is { Executed: true, Errors: null or { Count: 0 } } ? new SharedResult(result) : result;
            mine.SetResult(outcome);
            return outcome;
        }
        catch
        {
            // No result to share: the others run the event themselves.
            mine.SetResult(NotShared);
            throw;
        }
    }

    /// <summary>The result another subscriber's execution shares, or, when it had none to share, an execution of its own.</summary>
    private async ValueTask<ExecutionResult> SharedOrOwnAsync(Task<ExecutionResult> running, ExecutionContext context, ExecutionNode node, object? value)
    {
        var shared = await running;
        return shared is SharedResult ? shared : await base.ProcessDataAsync(context, node, value);
    }

    private SharingKey? KeyOf(ExecutionContext context)
    {
        if (context.UserContext is not { } operation) return null;
        if (keys.TryGetValue(operation, out var known) && ReferenceEquals(known.Document, context.Document)) return known.Key;
        if (SharingKey.Of(context, access) is not { } key) return null;
        keys.AddOrUpdate(operation, new Known(context.Document, key));
        return key;
    }
}
