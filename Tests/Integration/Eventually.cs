namespace CartGraph.Tests.Integration;

/// <summary>
/// Waits for something that becomes true on its own. Consumers see a message only once every older
/// transaction of the whole cluster has finished, and other test classes write to the same cluster.
/// </summary>
internal static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(20);
        }
    }
}
