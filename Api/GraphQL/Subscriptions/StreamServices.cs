using GraphQL;
using GraphQL.Builders;

namespace CartGraph.Api.GraphQL.Subscriptions;

/// <summary>
/// Source-stream resolvers with their services injected, as <c>Resolve().WithServices&lt;...&gt;()</c> gives field
/// resolvers (GraphQL.MicrosoftDI has no such builder for streams): each service is the operation's own.
/// </summary>
internal static class StreamServices
{
    public static FieldBuilder<TSource, TReturn> ResolveStreamAsync<TSource, TReturn, TService1, TService2>(
        this FieldBuilder<TSource, TReturn> field,
        Func<IResolveFieldContext<TSource>, TService1, TService2, Task<IObservable<TReturn?>>> resolve)
        where TService1 : notnull
        where TService2 : notnull =>
        field.ResolveStreamAsync(context => resolve(
            context, context.RequestServices!.GetRequiredService<TService1>(), context.RequestServices!.GetRequiredService<TService2>()));
}
