using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using FsCheck.Xunit;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Tests.Integration.CommandHandling;

/// <summary>Keyed commands sent again, anywhere in a script, leave the stream as if each had been sent once.</summary>
public sealed class IdempotencyProperties(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly TenantId Tenant = StoreDatabase.NewTenant();
    private static readonly Sender Operator = new Sender.Operator(MessageContext.None);

    /// <param name="script">
    /// Each byte a step: a multiple of 3 repeats an earlier keyed command (when there is one), any other byte is a new
    /// keyed command of any kind (<see cref="Command"/>), accepted or rejected, so repeats fall anywhere, some right after
    /// their first, some after the cart changed so that they would now be decided otherwise.
    /// </param>
    [Property(MaxTest = 25)]
    public async Task A_script_with_repeated_keyed_commands_of_every_kind_leaves_the_stream_of_the_script_without_repeats(byte[] script)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (keyed, once) = ($"{run}-keyed", $"{run}-once");
        var sent = new List<(string Key, Func<string, Validation<InvalidInput, CartCommand>> Command)>();
        var withRepeats = new List<(string Key, Func<string, Validation<InvalidInput, CartCommand>> Command)>();
        foreach (var step in script)
        {
            if (step % 3 == 0 && sent.Count > 0)
            {
                withRepeats.Add(sent[step / 3 % sent.Count]);
                continue;
            }
            var next = ($"key-{sent.Count}", Command(step));
            sent.Add(next);
            withRepeats.Add(next);
        }

        foreach (var cart in new[] { keyed, once })
            await db.CartService.HandleAsync(Operator, CartCommands.CreateCart(Tenant.Value, cart, "EUR"), None, CancellationToken.None);
        foreach (var (key, command) in withRepeats)
            await db.CartService.HandleAsync(Operator, command(keyed), None, CancellationToken.None, key, fingerprint: key);
        foreach (var (_, command) in sent)
            await db.CartService.HandleAsync(Operator, command(once), None, CancellationToken.None);

        var (withKeys, withoutRepeats) = (await db.Store.ReadStreamAsync(Tenant, keyed), await db.Store.ReadStreamAsync(Tenant, once));
        Assert.Equal(withoutRepeats.Select(m => (m.MessageType, m.Data.Replace(once, keyed))), withKeys.Select(m => (m.MessageType, m.Data)));
    }

    /// <summary>
    /// A command of any kind from one byte: mostly adds and removes of four skus (a removal of more than the cart holds,
    /// or of an absent sku, is rejected), sometimes an empty, a second create (rejected), a checkout whose total may not
    /// match, and, for the last bytes, a cancel (every later command is rejected).
    /// </summary>
    private static Func<string, Validation<InvalidInput, CartCommand>> Command(byte step)
    {
        var (sku, quantity) = ($"S{step % 4}", 1 + step % 3);
        return (step / 3 % 8, step >= 250) switch
        {
            (_, true) => cart => CartCommands.CancelCart(Tenant.Value, cart, "changed my mind"),
            (< 3, _) => cart => CartCommands.AddItemToCart(Tenant.Value, cart, sku, $"Item {sku}", quantity, 2m),
            (< 5, _) => cart => CartCommands.RemoveItemFromCart(Tenant.Value, cart, sku, quantity),
            (5, _) => cart => CartCommands.EmptyCart(Tenant.Value, cart),
            (6, _) => cart => CartCommands.CreateCart(Tenant.Value, cart, "EUR"),
            _ => cart => CartCommands.CheckOutCart(Tenant.Value, cart, $"order-{step}", 2m * (step % 3)),
        };
    }
}
