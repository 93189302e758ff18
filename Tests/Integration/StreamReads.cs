using CartGraph.Infrastructure.EventStore;
using LanguageExt;

namespace CartGraph.Tests.Integration;

internal static class StreamReads
{
    /// <summary>The state a stream folds to, where the spec knows every event of it can be read.</summary>
    public static async Task<T> ReadableAsync<T>(this Task<Either<StreamError, T>> read) =>
        (await read).Match(state => state, error => throw new Xunit.Sdk.XunitException($"unexpected: {error.Message}"));
}
