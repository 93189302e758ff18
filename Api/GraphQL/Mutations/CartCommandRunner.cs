using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Errors;
using CartGraph.Api.GraphQL.Transport;
using CartGraph.Api.Security;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using GraphQL;
using LanguageExt;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>
/// The shared path of every cart mutation: validate the input, check the tenant, hand the command to the shell,
/// and turn the outcome into a payload. No business rule here: the decider decides.
/// </summary>
public sealed class CartCommandRunner(
    CommandHandler handler, EventStore store, StreamArchiver archiver, TenantAccess access, MutationRateLimiter rates, CartCache cache)
{
    public static readonly Aggregate<CartCommand, CartEvent, CartState, CartError> Carts =
        new(Cart.StreamType, Cart.Decider, CartEventJson.Codec, CartFootprint.Of);

    public async Task<MutationPayload> RunAsync(
        IResolveFieldContext context, ICommandInput input, Validation<InvalidInput, CartCommand> command)
    {
        if (command.Case is Seq<InvalidInput> invalid)
            return MutationPayload.Invalid(invalid);
        var valid = (CartCommand)command.Case!;
        if (Forbidden(context, valid.TenantId) is { } forbidden) return forbidden;

        var outcome = await handler.HandleAsync(
            Carts, valid.TenantId, valid.CartId.Value, valid, Prelude.Optional(input.ExpectedVersion), Context(context), context.CancellationToken);
        // This instance knows of the new version before the projection announces it: a kept row is now too old to serve.
        outcome.IfRight(result => cache.Announced(valid.TenantId.Value, valid.CartId.Value, result.Version, removed: false));
        return outcome.Match(
            Right: result => MutationPayload.Succeeded(new CartView(valid.TenantId, valid.CartId.Value, result.State, result.Version)),
            Left: rejection => MutationPayload.Failed([Error(rejection, valid)]));
    }

    /// <summary>Archives a cart: its stream and its read model row, at the version the client expects when given.</summary>
    public async Task<MutationPayload> ArchiveAsync(IResolveFieldContext context, ArchiveCartInput input)
    {
        var ids = (TenantId.Create(input.TenantId), CartId.Create(input.CartId)).Apply((t, c) => (Tenant: t, Cart: c));
        if (ids.Case is Seq<InvalidInput> invalid)
            return MutationPayload.Invalid(invalid);
        var (tenant, cartId) = ((TenantId, CartId))ids.Case!;
        if (Forbidden(context, tenant) is { } forbidden) return forbidden;

        // The cart as it is archived: read first, then archived only at that very version, so nothing slips in between.
        var read = await store.AggregateStreamAsync(tenant, cartId.Value, Carts.Decider, Carts.Codec, context.CancellationToken);
        if (read.Case is StreamError unreadable) return MutationPayload.Failed([StoreError(unreadable, cartId.Value)]);
        var (state, version) = ((CartState, long))read.Case!;
        if (input.ExpectedVersion is { } expected && expected != version)
            return MutationPayload.Failed([new ApiError.ConcurrencyConflict(cartId.Value, expected, version)]);
        var archived = await archiver.ArchiveAsync(tenant, cartId.Value, version == 0 ? Option<long>.None : version, context.CancellationToken);
        archived.IfRight(_ => cache.Announced(tenant.Value, cartId.Value, version, removed: true));
        return archived.Match(
            Right: result => MutationPayload.Succeeded(new CartView(tenant, cartId.Value, state, result.StreamPosition)),
            Left: error => MutationPayload.Failed([StoreError(error, cartId.Value)]));
    }

    /// <summary>Why the caller may not send this mutation for this tenant now: not allowed, or over the tenant's rate.</summary>
    private MutationPayload? Forbidden(IResolveFieldContext context, TenantId tenant)
    {
        if (!access.Allows(GraphQLUserContext.Of(context).User, tenant)) return MutationPayload.Failed([new ApiError.Forbidden(tenant.Value)]);
        var (allowed, retryAfter) = rates.TryAcquire(tenant);
        return allowed ? null : MutationPayload.Failed([new ApiError.RateLimited(tenant.Value, retryAfter)]);
    }

    private static MessageContext Context(IResolveFieldContext context) =>
        new(CorrelationId: GraphQLUserContext.Of(context).CorrelationId, CausationId: context.FieldDefinition.Name);

    private static object Error(CommandRejection<CartError> rejection, CartCommand command) => rejection switch
    {
        CommandRejection<CartError>.Rejected r => r.Error,
        CommandRejection<CartError>.Conflict c => ApiError.ConcurrencyConflict.From(c.Error),
        // Archived between the read and the append: only createCart's errors name an archived cart; to any other
        // command it is a cart that is not there, as a fresh read of its stream would say.
        CommandRejection<CartError>.StoreRefused { Error: StreamError.StreamArchived } when command is not CartCommand.CreateCart =>
            new CartError.CartNotFound(),
        CommandRejection<CartError>.StoreRefused s => StoreError(s.Error, command.CartId.Value),
        _ => throw new InvalidOperationException($"Unhandled rejection {rejection}"),
    };

    private static object StoreError(StreamError error, string cartId) => error switch
    {
        StreamError.StreamArchived => new ApiError.CartArchived(cartId),
        StreamError.StreamNotFound => new CartError.CartNotFound(),
        StreamError.WrongExpectedVersion conflict => ApiError.ConcurrencyConflict.From(conflict),
        StreamError.UnreadableMessage unreadable => ApiError.CartUnreadable.From(unreadable),
        // A well-formed cart id always makes a valid stream id: anything else is a bug, reported as an internal error.
        _ => throw new InvalidOperationException(error.Message),
    };
}
