using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Errors;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using LanguageExt;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>
/// <c>archiveCart</c>: archives a cart, its stream and its read model row, at the version the client expects when
/// given. Not a command of the decider: the carts' service archives at the version it read.
/// </summary>
internal static class ArchiveCartMutation
{
    public static void AddTo(CartMutations mutations) =>
        mutations.Field<NonNullGraphType<PayloadType<ArchiveCartError>>, MutationPayload>("archiveCart")
            .Description("Archives a cart: its events are kept, it leaves queries and subscriptions, and it takes no more commands.")
            .Argument<NonNullGraphType<ArchiveCartInputType>>("input")
            .Resolve()
            .WithService<CartService>()
            .ResolveAsync(async (context, carts) =>
            {
                var input = context.GetArgument<ArchiveCartInput>("input");
                return MutationPayload.Of(await carts.ArchiveAsync(CartMutations.SenderOf(context),
                    ArchiveCart.Create(input.TenantId, input.CartId), Prelude.Optional(input.ExpectedVersion), context.CancellationToken));
            });
}

/// <remarks>No idempotency key yet: archiving appends no event that could carry one (it is in place for the interface).</remarks>
public sealed record ArchiveCartInput(string TenantId, string CartId, long? ExpectedVersion, string? IdempotencyKey = null) : ICommandInput;

public sealed class ArchiveCartInputType : CommandInputType<ArchiveCartInput>
{
    public ArchiveCartInputType()
        : base("ArchiveCartInput", "Archives a cart: its history is kept, it leaves the read model and takes no more commands.") =>
        ExpectedVersionField(idempotencyKey: false);
}

/// <remarks>What the store refuses, not the decider: a cart that is not there, or no longer (CartArchivedError).</remarks>
public sealed class ArchiveCartError() : ErrorUnion("ArchiveCartError", typeof(CartNotFoundErrorType), typeof(CartArchivedErrorType));
