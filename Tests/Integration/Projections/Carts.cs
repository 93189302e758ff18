using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>Cart commands through the real shell, and the carts read model as rows and as the fold of each stream.</summary>
internal static class Carts
{
    public static readonly Aggregate<CartCommand, CartEvent, CartState, CartError> Aggregate = CartService.Aggregate;

    /// <summary>An operator's command: trusted with the tenant, as the specs' own setup is.</summary>
    public static readonly Sender Operator = new Sender.Operator(MessageContext.None);

    public static readonly CartsProjection Projection = new();

    /// <summary>A command through the carts' service, which must take it.</summary>
    public static async Task HandleAsync(StoreDatabase db, TenantId tenant, string cartId, LanguageExt.Validation<InvalidInput, CartCommand> command)
    {
        var valid = command.Match(c => c, errors => throw new ArgumentException(string.Join("; ", errors.Map(e => e.Message))));
        if (valid.TenantId != tenant || valid.CartId.Value != cartId) throw new ArgumentException($"The command is for {valid.TenantId}/{valid.CartId.Value}, not {tenant}/{cartId}.");
        var outcome = await db.CartService.HandleAsync(Operator, valid, expectedVersion: default, CancellationToken.None);
        outcome.IfLeft(failures => throw new InvalidOperationException($"{cartId}: {string.Join("; ", failures)}"));
    }

    public static ProjectionProcessor Processor(StoreDatabase db, TenantId tenant, ProjectionOptions? options = null, IProjection? projection = null) =>
        new(db.Postgres, projection ?? Projection, tenant, options ?? new ProjectionOptions(), new ProcessorStatus(), NullLogger.Instance);

    /// <summary>Processes until nothing is left behind the cursor (waiting out other tests' open transactions).</summary>
    public static async Task CatchUpAsync(this ProjectionProcessor processor, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await processor.ProcessBatchAsync() > 0) continue;
            if ((await processor.MeasureLagAsync()).Events == 0) return;
            await Task.Delay(10);
        }
        throw new TimeoutException("the processor did not catch up");
    }

    /// <summary>Every cart row of a tenant, by cart id.</summary>
    public static async Task<Dictionary<string, CartView>> ReadModelAsync(StoreDatabase db, TenantId tenant)
    {
        var ids = new List<string>();
        await using (var command = db.Postgres.Commands.CreateCommand("SELECT cart_id FROM carts WHERE tenant_id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenant.Value });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        }
        await using var connection = await db.Postgres.Commands.OpenConnectionAsync();
        return await CartsTable.LoadAsync(connection, tenant, ids, CancellationToken.None);
    }

    /// <summary>What the read model must hold for a cart: the fold of its stream, at its last position.</summary>
    public static async Task<(CartState State, long Version)> FoldAsync(StoreDatabase db, TenantId tenant, string cartId) =>
        await db.Store.AggregateStreamAsync(tenant, cartId, Cart.Decider, CartEventJson.Codec).ReadableAsync();

    public static LanguageExt.Validation<InvalidInput, CartCommand> Create(TenantId tenant, string cartId, string currency = "USD") =>
        CartCommands.CreateCart(tenant.Value, cartId, currency);

    public static LanguageExt.Validation<InvalidInput, CartCommand> Add(TenantId tenant, string cartId, string sku, int quantity, decimal price) =>
        CartCommands.AddItemToCart(tenant.Value, cartId, sku, $"Item {sku}", quantity, price);
}
