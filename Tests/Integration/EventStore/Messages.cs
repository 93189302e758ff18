using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Tests.Integration.EventStore;

internal static class Messages
{
    public static NewMessage Event(int n) => new("Something", $$"""{"n": {{n}}}""");

    public static NewMessage[] Events(int count, int first = 1) =>
        Enumerable.Range(first, count).Select(Event).ToArray();
}
