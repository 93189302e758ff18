using CartGraph.Api.Transport;
using GraphQL;
using GraphQL.Types;

namespace CartGraph.Tests.Api.Transport;

/// <summary>A schema that knows nothing of carts: enough fields to exercise every transport rule.</summary>
public sealed class TestSchema : Schema
{
    /// <summary>What the failing field throws: none of it may reach a client.</summary>
    public const string Secret = "Npgsql: password authentication failed for Host=db;Password=hunter2";

    public TestSchema(IServiceProvider services, TickProbe probe) : base(services)
    {
        Query = new TestQuery();
        Mutation = new TestMutation();
        Subscription = new TestSubscription(probe);
    }

    sealed class TestQuery : ObjectGraphType
    {
        public TestQuery()
        {
            Name = "Query";
            Field<StringGraphType>("hello")
                .Argument<StringGraphType>("name")
                .Resolve(context => $"Hello, {context.GetArgument<string?>("name") ?? "world"}!");
            Field<StringGraphType>("boom").Resolve(_ => throw new InvalidOperationException(Secret));
            Field<StringGraphType>("whoami").Resolve(context => GraphQLUserContext.Of(context).User.Identity?.Name ?? "anonymous");
            Field<StringGraphType>("correlationId").Resolve(context => GraphQLUserContext.Of(context).CorrelationId);
        }
    }

    sealed class TestMutation : ObjectGraphType
    {
        public TestMutation()
        {
            Name = "Mutation";
            Field<StringGraphType>("echo")
                .Argument<NonNullGraphType<StringGraphType>>("text")
                .Resolve(context => context.GetArgument<string>("text"));
        }
    }

    sealed class TestSubscription : ObjectGraphType
    {
        public TestSubscription(TickProbe probe)
        {
            Name = "Subscription";
            Field<IntGraphType>("ticks")
                .Argument<NonNullGraphType<IntGraphType>>("count")
                .Argument<IntGraphType>("intervalMs")
                .Resolve(context => context.Source)
                .ResolveStream(context => new TickStream(
                    context.GetArgument<int>("count"), TimeSpan.FromMilliseconds(context.GetArgument<int?>("intervalMs") ?? 0), probe, failAfter: false));
            Field<IntGraphType>("failingTicks")
                .Argument<NonNullGraphType<IntGraphType>>("count")
                .Resolve(context => context.Source)
                .ResolveStream(context => new TickStream(context.GetArgument<int>("count"), TimeSpan.Zero, probe, failAfter: true));
        }
    }
}

/// <summary>Counts tick streams subscribed to and disposed, so a test can see the server let go of a subscription.</summary>
public sealed class TickProbe
{
    int subscribed, disposed;

    public int Subscribed => Volatile.Read(ref subscribed);

    public int Disposed => Volatile.Read(ref disposed);

    public void OnSubscribed() => Interlocked.Increment(ref subscribed);

    public void OnDisposed() => Interlocked.Increment(ref disposed);
}

/// <summary>Emits 1..count, one per interval, then completes (or fails with <see cref="TestSchema.Secret"/>).</summary>
sealed class TickStream(int count, TimeSpan interval, TickProbe probe, bool failAfter) : IObservable<object?>
{
    public IDisposable Subscribe(IObserver<object?> observer)
    {
        probe.OnSubscribed();
        var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            try
            {
                for (var tick = 1; tick <= count; tick++)
                {
                    if (interval > TimeSpan.Zero) await Task.Delay(interval, stop.Token);
                    if (stop.IsCancellationRequested) return;
                    observer.OnNext(tick);
                }
                if (failAfter) observer.OnError(new InvalidOperationException(TestSchema.Secret));
                else observer.OnCompleted();
            }
            catch (OperationCanceledException)
            {
            }
        });
        return new Subscription(stop, probe);
    }

    sealed class Subscription(CancellationTokenSource stop, TickProbe probe) : IDisposable
    {
        int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            stop.Cancel();
            probe.OnDisposed();
        }
    }
}
