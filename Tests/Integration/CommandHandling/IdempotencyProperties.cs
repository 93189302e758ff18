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
    /// keyed command adding units of one of four skus, so repeats fall anywhere, some right after their first.
    /// </param>
    /// <remarks>
    /// NOTE: accepted commands only. A keyed command the decider rejected records nothing, so its repeat is decided again
    /// and may be accepted on the state later commands left (found by this property with removals in the script): to
    /// remember rejections the store needs a record of them, which is not built yet.
    /// </remarks>
    [Property(MaxTest = 25)]
    public async Task A_script_with_repeated_accepted_keyed_commands_leaves_the_stream_of_the_script_without_repeats(byte[] script)
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
            var (sku, quantity) = ($"S{step % 4}", 1 + step % 3);
            Func<string, Validation<InvalidInput, CartCommand>> command =
                cart => CartCommands.AddItemToCart(Tenant.Value, cart, sku, $"Item {sku}", quantity, 2m);
            var next = ($"key-{sent.Count}", command);
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
}
