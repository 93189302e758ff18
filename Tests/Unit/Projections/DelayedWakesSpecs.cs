using CartGraph.Infrastructure.Projections;

namespace CartGraph.Tests.Unit.Projections;

/// <summary>The one loop that wakes processors later sleeps until the next wake is due: it does not spin on the last fraction of a millisecond.</summary>
public sealed class DelayedWakesSpecs
{
    [Fact]
    public async Task Wakes_due_between_two_milliseconds_fire_in_order_after_a_few_turns_of_the_loop_not_thousands()
    {
        var fired = new List<int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int Count = 20;
        var wakes = new DelayedWakes<int>(i =>
        {
            lock (fired)
            {
                fired.Add(i);
                if (fired.Count == Count) all.TrySetResult();
            }
        });
        using var stop = new CancellationTokenSource();
        var loop = wakes.RunAsync(stop.Token);

        // One at a time, each due 2.7 ms later: a wait of whole milliseconds ends before it unless rounded up.
        for (var i = 0; i < Count; i++)
        {
            wakes.Schedule(i, TimeSpan.FromMilliseconds(2.7));
            await WaitUntilAsync(() => { lock (fired) return fired.Count > i; });
        }
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await loop;

        Assert.Equal(Enumerable.Range(0, Count), fired);
        // A turn per wake, a few more for the scheduling and timers firing early; spinning made it thousands.
        Assert.InRange(wakes.Turns, 1, 4 * Count);
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the wake never fired");
            await Task.Delay(1);
        }
    }
}
