using System.Collections.Concurrent;
using System.Diagnostics;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// One queue per stream in this process. Whoever sends to an idle stream starts its drain: it takes every command
/// waiting (up to <see cref="MaxBatch"/>), runs them as one batch, and goes on until none wait, so that commands for one
/// stream never race each other here; a stream with no command waiting keeps no queue.
/// </summary>
internal sealed class StreamQueues
{
    /// <summary>Bounds one append's size; more waiting commands go in the next batch.</summary>
    public const int MaxBatch = 256;

    private readonly ConcurrentDictionary<(string Type, string Tenant, string Stream), object> queues = new();

    /// <param name="runBatch">Decides and appends a batch and answers each of its commands; it never throws.</param>
    public void Enqueue<TItem>((string Type, string Tenant, string Stream) stream, TItem item, Func<IReadOnlyList<TItem>, Task> runBatch)
    {
        while (true)
        {
            var queue = queues.GetOrAdd(stream, _ => new Queue<TItem>()) as Queue<TItem>
                        ?? throw new InvalidOperationException($"Two aggregates of different types share the stream type '{stream.Type}'.");
            switch (queue.TryAdd(item))
            {
                case Added.ToIdleQueue:
                    _ = DrainAsync(stream, queue, runBatch);
                    return;
                case Added.BehindOthers:
                    return;
                case Added.Closed:
                    // Its drain just ended and it is on its way out of the dictionary: help it out, then take a new one.
                    queues.TryRemove(KeyValuePair.Create(stream, (object)queue));
                    break;
            }
        }
    }

    private async Task DrainAsync<TItem>((string, string, string) stream, Queue<TItem> queue, Func<IReadOnlyList<TItem>, Task> runBatch)
    {
        while (queue.TakeBatch() is { Count: > 0 } batch)
        {
            await runBatch(batch);
            // The drain began in its first sender's flow; the batches after it are no part of that sender's trace.
            Activity.Current = null;
        }
        queues.TryRemove(KeyValuePair.Create(stream, (object)queue));
    }

    private enum Added { ToIdleQueue, BehindOthers, Closed }

    private sealed class Queue<TItem>
    {
        private readonly Lock gate = new();
        private readonly List<TItem> waiting = [];
        private bool draining;
        private bool closed;

        public Added TryAdd(TItem item)
        {
            lock (gate)
            {
                if (closed) return Added.Closed;
                waiting.Add(item);
                if (draining) return Added.BehindOthers;
                draining = true;
                return Added.ToIdleQueue;
            }
        }

        /// <summary>What waits, oldest first; none closes the queue for good (its drain ends).</summary>
        public IReadOnlyList<TItem> TakeBatch()
        {
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    closed = true;
                    return [];
                }
                var batch = waiting.Take(MaxBatch).ToArray();
                waiting.RemoveRange(0, batch.Length);
                return batch;
            }
        }
    }
}
