using System.Collections.Concurrent;
using System.Threading.Channels;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.Notifications;

/// <summary>
/// Tells every process that a tenant has new messages, after the append committed: coalesced (one
/// notification per tenant per round, however many appends) and outside the append's transaction.
/// </summary>
/// <remarks>
/// NOTE: a NOTIFY inside the append transaction takes a global lock at commit; measured here, it halved the
/// throughput of eight writers. Sent afterwards, a lost notification only delays consumers, whose sweep
/// finds the messages anyway.
/// </remarks>
public sealed class AppendNotifier : BackgroundService
{
    public const string Channel = "cartgraph_appended";

    private readonly PostgresDatabase database;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, byte> pending = new();

    /// <summary>At most one wake-up waits: however many appends signal first, one round serves them all.</summary>
    private readonly Channel<bool> signal = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public AppendNotifier(PostgresDatabase database, EventStore.EventStore store, ILogger<AppendNotifier>? logger = null)
    {
        this.database = database;
        this.logger = logger ?? NullLogger<AppendNotifier>.Instance;
        store.Appended += Enqueue;
    }

    private void Enqueue(TenantId tenant)
    {
        pending.TryAdd(tenant.Value, 0);
        signal.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.Reader.ReadAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var tenants = pending.Keys.ToArray();
            foreach (var tenant in tenants) pending.TryRemove(tenant, out _);
            if (tenants.Length == 0) continue;
            try
            {
                await using var command = database.Commands.CreateCommand($"SELECT pg_notify('{Channel}', t) FROM unnest($1::text[]) t");
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tenants });
                await command.ExecuteNonQueryAsync(stoppingToken);
                CartGraphTelemetry.NotificationsSent.Add(tenants.Length, new KeyValuePair<string, object?>("cartgraph.channel", Channel));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogDebug("Could not notify appends to {Tenants}: {Error}; processors will find them in their sweep", string.Join(", ", tenants), e.Message);
            }
        }
    }
}
