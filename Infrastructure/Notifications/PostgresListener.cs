using System.Collections.Concurrent;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.Notifications;

/// <summary>
/// The process's one listening connection: LISTENs to the channels it is given and fans each notification out in
/// memory to whoever subscribed. A lost connection is re-established with backoff; <see cref="Reconnected"/> then tells
/// subscribers that notifications may have been missed meanwhile.
/// </summary>
/// <remarks>
/// NOTE: the channels are given up front, not learned from subscribers: a subscriber made after the connection is up
/// (the first GraphQL subscription, say) must not miss what is notified before its LISTEN would have run. Which channels
/// there are is its users' business (e.g. the projections'); this class knows none.
/// </remarks>
public sealed class PostgresListener(PostgresDatabase database, IReadOnlyCollection<string> channels, ILogger<PostgresListener>? logger = null)
    : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly ILogger logger = logger ?? NullLogger<PostgresListener>.Instance;
    private readonly IReadOnlyList<string> channels = Checked(channels);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Action<string>>> handlers = new();
    private volatile bool connected;

    /// <summary>Whether the listening connection is up (for the readiness check).</summary>
    public bool IsConnected => connected;

    /// <summary>Raised after the connection came back; anything notified while it was down was missed.</summary>
    public event Action? Reconnected;

    /// <summary>The channels this process listens to.</summary>
    public IReadOnlyList<string> Channels => channels;

    /// <summary>Calls <paramref name="handler"/> with the payload of every notification on <paramref name="channel"/>.</summary>
    public IDisposable Subscribe(string channel, Action<string> handler)
    {
        if (!channels.Contains(channel)) throw new ArgumentException($"Not a channel this process listens to: {channel}", nameof(channel));
        var id = Guid.NewGuid();
        handlers.GetOrAdd(channel, _ => new()).TryAdd(id, handler);
        return new Subscription(() => handlers.GetValueOrDefault(channel)?.TryRemove(id, out _));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var everConnected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.Dedicated.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand(string.Concat(channels.Select(c => $"LISTEN {c};")), connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                connected = true;
                backoff = TimeSpan.FromMilliseconds(100);
                logger.LogInformation("Listening for notifications on {Channels}", string.Join(", ", channels));
                if (everConnected) Reconnected?.Invoke();
                everConnected = true;
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                if (connected)
                {
                    logger.LogWarning("Listening connection lost ({Error}); reconnecting", e.Message);
                    // NOTE: what closed this connection (a restart, a failover, a network cut) closed the pooled ones too,
                    // and Npgsql only learns it when it next uses each: the first statement on each would fail. This
                    // connection, always waiting on its socket, learns it at once: the pool's connections are closed
                    // rather than lent again (those in use when they come back).
                    database.Commands.Clear();
                }
                connected = false;
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
        connected = false;
    }

    private void Dispatch(string channel, string payload)
    {
        CartGraphTelemetry.NotificationsReceived.Add(1, new KeyValuePair<string, object?>("cartgraph.channel", channel));
        if (!handlers.TryGetValue(channel, out var subscribers)) return;
        foreach (var handler in subscribers.Values)
        {
            try
            {
                handler(payload);
            }
            catch (Exception e)
            {
                logger.LogError(e, "A subscriber to {Channel} failed on a notification", channel);
            }
        }
    }

    /// <summary>Channel names go into LISTEN as they are: lower-case identifiers only.</summary>
    private static IReadOnlyList<string> Checked(IReadOnlyCollection<string> channels) =>
        channels.All(c => c.Length is > 0 and < 64 && c.All(ch => ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '_') && c[0] is not (>= '0' and <= '9'))
            ? channels.Distinct().ToList()
            : throw new ArgumentException($"Channels must be lower-case identifiers: {string.Join(", ", channels)}", nameof(channels));

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
