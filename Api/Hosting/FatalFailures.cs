using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;

namespace CartGraph.Api.Hosting;

/// <summary>
/// What ends the instance when it can no longer serve: a service it cannot work without stopped for good
/// (<see cref="RequiredServices"/>), or memory ran out anywhere (an <see cref="OutOfMemoryException"/>, caught or not).
/// It logs why, stops the host so that requests in flight are answered, and makes the process exit with
/// <see cref="FailureExitCode"/>, so that an orchestrator starts a new one; should stopping take longer than the shutdown
/// timeout, it ends the process there and then.
/// </summary>
/// <remarks>
/// NOTE: a process whose heap ran full once is not trusted to go on: the exception may have hit any allocation, a lock
/// or a cache half updated, and a heap that filled once fills again. The watch runs on a thread of its own, started
/// up front, and noticing an <see cref="OutOfMemoryException"/> allocates nothing.
/// </remarks>
public sealed class FatalFailures : IDisposable
{
    public const int FailureExitCode = 1;

    private const string MemoryRanOut = "memory ran out";

    private readonly IHostApplicationLifetime lifetime;
    private readonly ILogger logger;
    private readonly TimeSpan shutdownTimeout;
    private readonly Action<string> terminate;
    private readonly ManualResetEventSlim raised = new();
    private int failed;
    private volatile bool disposed;
    private string reason = "";
    private Exception? cause;

    /// <param name="terminate">Ends the process at once when stopping overruns; <see cref="Environment.FailFast(string)"/> but in tests.</param>
    public FatalFailures(
        IHostApplicationLifetime lifetime, IOptions<HostOptions> host, ILogger<FatalFailures> logger, Action<string>? terminate = null)
    {
        this.lifetime = lifetime;
        this.logger = logger;
        shutdownTimeout = host.Value.ShutdownTimeout;
        this.terminate = terminate ?? Environment.FailFast;
        new Thread(Watch) { IsBackground = true, Name = "cartgraph-fatal-failures" }.Start();
        AppDomain.CurrentDomain.FirstChanceException += OnException;
    }

    /// <summary>What the process should exit with: 0, or <see cref="FailureExitCode"/> once it has failed.</summary>
    public int ExitCode => Volatile.Read(ref failed) == 0 ? 0 : FailureExitCode;

    /// <summary>The instance cannot serve any longer, for <paramref name="why"/>; the first failure is the one reported.</summary>
    public void Fail(string why, Exception? error = null)
    {
        if (Interlocked.CompareExchange(ref failed, 1, 0) != 0) return;
        (reason, cause) = (why, error);
        raised.Set();
    }

    private void OnException(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (e.Exception is not OutOfMemoryException || Interlocked.CompareExchange(ref failed, 1, 0) != 0) return;
        (reason, cause) = (MemoryRanOut, e.Exception);
        raised.Set();
    }

    private void Watch()
    {
        raised.Wait();
        if (disposed) return;
        try
        {
            logger.LogCritical(cause,
                "CartGraph cannot serve any longer: {Reason}. Stopping, then exiting with {ExitCode} (within {ShutdownTimeout})",
                reason, FailureExitCode, shutdownTimeout);
        }
        catch (Exception)
        {
            Console.Error.WriteLine($"cartgraph: cannot serve any longer: {reason}");
        }
        lifetime.StopApplication();
        // Disposed means the host is gone and the program is returning its exit code: nothing left to cut short.
        Thread.Sleep(shutdownTimeout);
        if (!disposed) terminate($"CartGraph cannot serve any longer ({reason}) and did not stop within {shutdownTimeout}");
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= OnException;
        disposed = true;
        raised.Set();
    }
}
