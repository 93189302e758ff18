using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Projections;
using CartGraph.Tests.Integration;
using CartGraph.Tests.Integration.Projections;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CartGraph.Tests.Emmett;

/// <summary>
/// One database shared by CartGraph and a Node service on Emmett 0.42 (js/peer.mjs). Before: CartGraph runs the
/// seed's five steps and opens a second cart in a tenant, and projects them. During: the Node service reads and
/// appends while CartGraph keeps writing and projecting a third cart. After: CartGraph carries on, with the cart
/// Emmett wrote to, and in a tenant Emmett provisioned.
/// </summary>
public sealed class SharedDatabase(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string SeedCart = SeedExample.CartId;
    public const string SharedCart = "shared-cart";
    public const string BusyCart = "busy-cart";
    public const string EmmettsStream = "welcome";
    private const string OrderId = SeedExample.OrderId;
    private const int MaxWritesDuring = 400;

    public static readonly NpmProject Peer = new(Path.Combine(SourceDirectory(), "js"));

    public StoreDatabase Db { get; } = new(diagnostics);
    public TenantId Tenant { get; } = StoreDatabase.NewTenant();
    public TenantId EmmettsTenant { get; } = StoreDatabase.NewTenant();
    public string OwnStream { get; } = $"order-{Guid.NewGuid():N}";
    public string ProbeStream { get; } = $"order-{Guid.NewGuid():N}";

    /// <summary>What the Node service printed: what it read and what its appends returned.</summary>
    public JsonElement Emmett { get; private set; }

    /// <summary>How many commands CartGraph handled while the Node service ran.</summary>
    public int WritesDuring { get; private set; }

    public async Task InitializeAsync()
    {
        if (NpmProject.Missing is not null) return;
        var clock = Stopwatch.StartNew();
        var install = await Peer.EnsureInstalledAsync();
        await Db.InitializeAsync();
        var processor = Carts.Processor(Db, Tenant);

        await Handle(SeedCart,
            CartCommands.CreateCart(Tenant.Value, SeedCart, "USD"),
            CartCommands.AddItemToCart(Tenant.Value, SeedCart, "SKU-123", "Item 123", 2, 25),
            CartCommands.AddItemToCart(Tenant.Value, SeedCart, "SKU-456", "Item 456", 1, 15),
            CartCommands.RemoveItemFromCart(Tenant.Value, SeedCart, "SKU-123", 1),
            CartCommands.CheckOutCart(Tenant.Value, SeedCart, OrderId, null));
        await Handle(SharedCart, Carts.Create(Tenant, SharedCart), Carts.Add(Tenant, SharedCart, "SKU-100", 2, 10));
        await processor.CatchUpAsync();

        using var stop = new CancellationTokenSource();
        var during = KeepWritingAsync(processor, stop.Token);
        var scenario = JsonSerializer.Serialize(new
        {
            tenant = Tenant.Value,
            cartId = SeedCart,
            sharedCart = new { id = SharedCart, version = 2 },
            ownStream = OwnStream,
            probeStream = ProbeStream,
            newTenant = EmmettsTenant.Value,
        });
        NpmProject.Run node;
        try
        {
            node = await Peer.RunScriptAsync("peer.mjs", [scenario],
                new Dictionary<string, string> { ["DATABASE_URL"] = PostgresUrl.From(Db.ConnectionString) });
        }
        finally
        {
            stop.Cancel();
            WritesDuring = await during;
        }
        Assert.True(node.Exit == 0, $"node peer.mjs exited with {node.Exit}:\n{node.Errors}\n{node.Output}");
        Emmett = JsonDocument.Parse(node.Output).RootElement.Clone();

        await Handle(SharedCart,
            Carts.Add(Tenant, SharedCart, "SKU-200", 1, 7),
            CartCommands.CheckOutCart(Tenant.Value, SharedCart, OrderId, null));
        await Handle(BusyCart, CartCommands.CancelCart(Tenant.Value, BusyCart, "done"));
        await processor.CatchUpAsync();
        await Carts.HandleAsync(Db, EmmettsTenant, "cart", Carts.Create(EmmettsTenant, "cart"));
        await Carts.Processor(Db, EmmettsTenant).CatchUpAsync();

        diagnostics.OnMessage(new DiagnosticMessage(
            $"Emmett peer: npm ci {Seconds(install)}, node peer.mjs {Seconds(node.Took)}, scenario {Seconds(clock.Elapsed)}, " +
            $"{WritesDuring} CartGraph commands during the node run"));
    }

    public Task DisposeAsync() => NpmProject.Missing is null ? Db.DisposeAsync() : Task.CompletedTask;

    private async Task Handle(string cartId, params LanguageExt.Validation<InvalidInput, CartCommand>[] commands)
    {
        foreach (var command in commands) await Carts.HandleAsync(Db, Tenant, cartId, command);
    }

    /// <summary>CartGraph's own traffic while Emmett works: a cart filling up, projected as it goes. Bounded.</summary>
    private async Task<int> KeepWritingAsync(ProjectionProcessor processor, CancellationToken stop)
    {
        await Task.Yield();
        await Handle(BusyCart, Carts.Create(Tenant, BusyCart));
        var writes = 1;
        for (; !stop.IsCancellationRequested && writes < MaxWritesDuring; writes++)
        {
            await Handle(BusyCart, Carts.Add(Tenant, BusyCart, "SKU-B", 1, 2));
            await processor.ProcessBatchAsync();
        }
        return writes;
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.00} s";

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
