using CartGraph.Api.Security;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using LanguageExt;
using static LanguageExt.Prelude;
using CartOutcome = LanguageExt.Either<LanguageExt.Seq<CartGraph.Api.Carts.CartFailure>, CartGraph.Domain.Carts.CartView>;

namespace CartGraph.Api.Carts;

/// <summary>
/// The carts' application service: a command in, its outcome out (the cart as the command left it, or why nothing
/// changed). Every sender takes the same way: the input makes a command, the sender is admitted for the cart's tenant,
/// the shell loads the cart, decides and appends (or the archiver archives it at the version read), and this instance's
/// read cache learns of the new version. The GraphQL mutations call it, and so do the specs. No business rule here.
/// </summary>
public sealed class CartService(
    CommandHandler handler, StreamArchiver archiver, TenantAccess access, MutationRateLimiter rates, CartCache? cache = null)
{
    /// <summary>Carts as the shell knows them: their stream type, decider, storage contract and what a state keeps alive.</summary>
    public static readonly Aggregate<CartCommand, CartEvent, CartState, CartError> Aggregate =
        new(Cart.StreamType, Cart.Decider, CartEventJson.Codec, CartFootprint.Of, CartErrorJson.Codec);

    /// <param name="command">The command, or every problem of the input it was made from.</param>
    /// <param name="expectedVersion">When given, the command is decided on that version of the cart or not at all.</param>
    /// <param name="idempotencyKey">
    /// When given, the first command with it on the cart decides; a repeat appends nothing and answers that first outcome
    /// (the cart as it was right after it), unless its <paramref name="fingerprint"/> (what the caller's input was) differs.
    /// </param>
    public Task<CartOutcome> HandleAsync(
        Sender sender, Validation<InvalidInput, CartCommand> command, Option<long> expectedVersion, CancellationToken cancellationToken,
        string? idempotencyKey = null, string fingerprint = "") =>
        (command, IdempotencyKey.Create(idempotencyKey)).Apply((c, k) => (Command: c, Key: k.Map(key => new Idempotency(key, fingerprint)))).Match(
            Succ: valid => Refusal(sender, valid.Command.TenantId).Match(
                Some: refused => Task.FromResult(Failed(refused)),
                None: () => DecideAsync(sender, valid.Command, expectedVersion, valid.Key, cancellationToken)),
            Fail: invalid => Task.FromResult(Invalid(invalid)));

    /// <summary>Archives a cart at the version it is read at (the one expected, when given), so nothing slips in between.</summary>
    public Task<CartOutcome> ArchiveAsync(
        Sender sender, Validation<InvalidInput, ArchiveCart> command, Option<long> expectedVersion, CancellationToken cancellationToken) =>
        command.Match(
            Succ: valid => Refusal(sender, valid.TenantId).Match(
                Some: refused => Task.FromResult(Failed(refused)),
                None: () => ArchiveValidAsync(valid, expectedVersion, cancellationToken)),
            Fail: invalid => Task.FromResult(Invalid(invalid)));

    private async Task<CartOutcome> DecideAsync(
        Sender sender, CartCommand command, Option<long> expectedVersion, Option<Idempotency> idempotency, CancellationToken cancellationToken)
    {
        var (tenant, cartId) = (command.TenantId, command.CartId.Value);
        var outcome = await handler.HandleAsync(Aggregate, tenant, cartId, command, expectedVersion, sender.Context, cancellationToken, idempotency);
        return outcome.Match(
            Right: result =>
            {
                // This instance knows of the new version before the projection announces it: a kept row is now too old to serve.
                cache?.Announced(tenant.Value, cartId, result.Version, removed: false);
                return Succeeded(new CartView(tenant, cartId, result.State, result.Version));
            },
            Left: rejection => Failed(rejection switch
            {
                CommandRejection<CartError>.Rejected rejected => new CartFailure.Rejected(rejected.Error),
                // Archived between the read and the append: only createCart's errors name an archived cart; to any other
                // command it is a cart that is not there, as a fresh read of its stream would say.
                CommandRejection<CartError>.StoreRefused { Error: StreamError.StreamArchived } when command is not CartCommand.CreateCart =>
                    new CartFailure.Rejected(new CartError.CartNotFound()),
                _ => Refused(rejection, cartId),
            }));
    }

    private async Task<CartOutcome> ArchiveValidAsync(ArchiveCart command, Option<long> expectedVersion, CancellationToken cancellationToken)
    {
        var (tenant, cartId) = (command.TenantId, command.CartId.Value);
        var read = await handler.ReadAsync(Aggregate, tenant, cartId, expectedVersion, cancellationToken);
        return await read.MatchAsync(
            async current =>
            {
                var archived = await archiver.ArchiveAsync(
                    tenant, cartId, current.Version == 0 ? None : Some(current.Version), cancellationToken);
                return archived.Match(
                    Right: result =>
                    {
                        cache?.Announced(tenant.Value, cartId, current.Version, removed: true);
                        return Succeeded(new CartView(tenant, cartId, current.State, result.StreamPosition));
                    },
                    Left: refused => Failed(Refused(refused, cartId)));
            },
            rejection => Failed(Refused(rejection, cartId)));
    }

    /// <summary>Why the sender may not send this tenant a command now: a client not allowed for it, or over its rate.</summary>
    private Option<CartFailure> Refusal(Sender sender, TenantId tenant)
    {
        if (sender is not Sender.Client client) return None;
        if (!access.Allows(client.User, tenant)) return Some<CartFailure>(new CartFailure.Forbidden(tenant.Value));
        var (allowed, retryAfter) = rates.TryAcquire(tenant);
        return allowed ? None : Some<CartFailure>(new CartFailure.RateLimited(tenant.Value, retryAfter));
    }

    private static CartFailure Refused(CommandRejection<CartError> rejection, string cartId) => rejection switch
    {
        CommandRejection<CartError>.Rejected rejected => new CartFailure.Rejected(rejected.Error),
        CommandRejection<CartError>.Conflict conflict => CartFailure.ConcurrencyConflict.From(conflict.Error),
        CommandRejection<CartError>.StoreRefused refused => Refused(refused.Error, cartId),
        CommandRejection<CartError>.KeyReused reused => new CartFailure.IdempotencyKeyReused(reused.Key),
        _ => throw new InvalidOperationException($"Unhandled rejection {rejection}"),
    };

    private static CartFailure Refused(StreamError error, string cartId) => error switch
    {
        StreamError.StreamArchived => new CartFailure.CartArchived(cartId),
        StreamError.StreamNotFound => new CartFailure.Rejected(new CartError.CartNotFound()),
        StreamError.WrongExpectedVersion conflict => CartFailure.ConcurrencyConflict.From(conflict),
        StreamError.UnreadableMessage unreadable => CartFailure.CartUnreadable.From(unreadable),
        // A well-formed cart id always makes a valid stream id: anything else is a bug, reported as an internal error.
        _ => throw new InvalidOperationException(error.Message),
    };

    private static CartOutcome Succeeded(CartView cart) => Right(cart);

    private static CartOutcome Failed(CartFailure failure) => Left(Seq1(failure));

    private static CartOutcome Invalid(Seq<InvalidInput> invalid) => Left(invalid.Map(CartFailure (input) => CartFailure.Invalid.From(input)));
}
