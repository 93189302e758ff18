using CartGraph.Api.Transport.Execution;

namespace CartGraph.Api.Transport.WebSockets;

/// <summary>One <c>subscribe</c> of a connection, from the message until its last message (or the client's complete).</summary>
internal sealed class SocketOperation : IDisposable
{
    private readonly CancellationTokenSource stopping;
    private bool withdrawn;

    public SocketOperation(string id, long sequence, OperationRequest request, CancellationToken connectionEnding)
    {
        Id = id;
        Sequence = sequence;
        Request = request;
        stopping = CancellationTokenSource.CreateLinkedTokenSource(connectionEnding);
        Stopping = stopping.Token;
    }

    public string Id { get; }

    public long Sequence { get; }

    public OperationRequest Request { get; }

    /// <summary>Cancelled when the operation must stop producing: client complete, server shutdown, connection end.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Its last message (complete or error) is queued, or it ended silently; nothing more is queued for it.
    /// Read and written under lock(this).</summary>
    public bool Finished { get; set; }

    /// <summary>The client completed it: messages still queued for it are dropped.</summary>
    public bool Withdrawn => Volatile.Read(ref withdrawn);

    public Task Run { get; set; } = Task.CompletedTask;

    public void Withdraw()
    {
        Volatile.Write(ref withdrawn, true);
        Stop();
    }

    public void Stop()
    {
        try
        {
            stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It has already ended.
        }
        catch (AggregateException)
        {
            // A resolver's cancellation callback failed: the operation stops all the same.
        }
    }

    public void Dispose() => stopping.Dispose();
}
