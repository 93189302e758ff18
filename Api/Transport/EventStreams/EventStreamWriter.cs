using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CartGraph.Api.Transport.Execution;
using GraphQL;

namespace CartGraph.Api.Transport.EventStreams;

/// <summary>
/// The body of one GraphQL-over-SSE response: results queued from any thread (a subscription's source pushes them),
/// written in order by one loop as <c>event: next</c> (with <c>id:</c> when the options name one) and a last
/// <c>event: complete</c>, with a comment line <c>:</c> whenever nothing was written for the keep-alive interval, so
/// that proxies and load balancers keep an idle stream open.
/// </summary>
/// <remarks>The queue is bounded: a client that reads slower than results come, past the limit, has its response ended
/// (without <c>complete</c>, so that it reconnects, with <c>Last-Event-ID</c> where ids are given).</remarks>
internal sealed class EventStreamWriter(HttpResponse response, TransportJson json, GraphQLTransportOptions options)
{
    private static readonly byte[] NextHeader = "event: next\n"u8.ToArray();
    private static readonly byte[] DataField = "data: "u8.ToArray();
    private static readonly byte[] CompleteMessage = "event: complete\ndata:\n\n"u8.ToArray();
    private static readonly byte[] KeepAliveComment = ":\n\n"u8.ToArray();

    private readonly Channel<ExecutionResult?> queue = Channel.CreateBounded<ExecutionResult?>(
        new BoundedChannelOptions(options.MaxQueuedMessagesPerConnection) { SingleReader = true });

    /// <summary>Set when results came faster than the client read them and the queue overflowed.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Sends the status and headers at once: an EventSource is open from then on.</summary>
    public async Task StartAsync(CancellationToken cancel)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold the events back
        response.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancel);
        await response.Body.FlushAsync(cancel);
    }

    /// <summary>Queues a <c>next</c>; false when the queue is full or closed.</summary>
    public bool Next(ExecutionResult result)
    {
        if (queue.Writer.TryWrite(result)) return true;
        Overflowed = queue.Writer.TryComplete();
        return false;
    }

    /// <summary>Queues the last message, <c>complete</c>; nothing is queued after it.</summary>
    public void Complete()
    {
        // The queue keeps one place for it: TryWrite may fail only when the client fell behind, and then it gets no complete.
        queue.Writer.TryWrite(null);
        queue.Writer.TryComplete();
    }

    /// <summary>Writes what is queued until <c>complete</c> is written or <paramref name="cancel"/> fires (the client left,
    /// the operation or the server stops).</summary>
    public async Task PumpAsync(CancellationToken cancel)
    {
        var reader = queue.Reader;
        while (!cancel.IsCancellationRequested)
        {
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                idle.CancelAfter(options.EventStreamKeepAlive);
                try
                {
                    if (!await reader.WaitToReadAsync(idle.Token)) return;
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(KeepAliveComment, cancel);
                    await response.Body.FlushAsync(cancel);
                    continue;
                }
            }
            while (reader.TryRead(out var message))
            {
                if (message is null)
                {
                    await response.Body.WriteAsync(CompleteMessage, cancel);
                    await response.Body.FlushAsync(cancel);
                    return;
                }
                await WriteNextAsync(message, cancel);
            }
            await response.Body.FlushAsync(cancel);
        }
    }

    private async Task WriteNextAsync(ExecutionResult result, CancellationToken cancel)
    {
        var body = response.Body;
        await body.WriteAsync(NextHeader, cancel);
        if (options.EventIdOf?.Invoke(result) is { Length: > 0 } id && id.IndexOfAny(['\r', '\n', '\0']) < 0)
            await body.WriteAsync(Encoding.UTF8.GetBytes($"id: {id}\n"), cancel);
        await body.WriteAsync(DataField, cancel);
        // Compact JSON holds no line break (those in strings are escaped): one data line.
        await body.WriteAsync(SharedResult.Utf8JsonOf(result, json.Options), cancel);
        await body.WriteAsync("\n\n"u8.ToArray(), cancel);
    }
}
