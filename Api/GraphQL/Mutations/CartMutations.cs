using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Transport;
using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>One mutation per cart command, HotChocolate-style: <c>name(input: NameInput!): NamePayload!</c>.</summary>
public sealed class CartMutations : ObjectGraphType
{
    public CartMutations()
    {
        Name = "Mutation";
        Description = "Commands on carts. A rejected command changes nothing and answers with typed errors in its payload.";

        Command<CreateCartInput, CreateCartInputType, CreateCartError>("createCart",
            "Opens a new cart in a currency.",
            input => CartCommands.CreateCart(input.TenantId, input.CartId ?? Guid.NewGuid().ToString(), input.Currency));

        Command<AddItemToCartInput, AddItemToCartInputType, AddItemToCartError>("addItemToCart",
            "Adds units of an item to an active cart.",
            input => CartCommands.AddItemToCart(input.TenantId, input.CartId, input.Item.Sku, input.Item.Name, input.Item.Quantity, input.Item.UnitPrice));

        Command<RemoveItemFromCartInput, RemoveItemFromCartInputType, RemoveItemFromCartError>("removeItemFromCart",
            "Removes units of a sku from an active cart.",
            input => CartCommands.RemoveItemFromCart(input.TenantId, input.CartId, input.Sku, input.Quantity));

        Command<EmptyCartInput, EmptyCartInputType, EmptyCartError>("emptyCart",
            "Removes every item of an active cart; an empty cart stays as it is.",
            input => CartCommands.EmptyCart(input.TenantId, input.CartId));

        Command<CheckOutCartInput, CheckOutCartInputType, CheckOutCartError>("checkOutCart",
            "Checks a non-empty active cart out into an order.",
            input => CartCommands.CheckOutCart(input.TenantId, input.CartId, input.OrderId ?? Guid.NewGuid().ToString(), input.Total));

        Command<CancelCartInput, CancelCartInputType, CancelCartError>("cancelCart",
            "Cancels an active cart, with a reason.",
            input => CartCommands.CancelCart(input.TenantId, input.CartId, input.Reason));

        Field<NonNullGraphType<PayloadType<ArchiveCartError>>>("archiveCart")
            .Description("Archives a cart: its events are kept, it leaves queries and subscriptions, and it takes no more commands.")
            .Argument<NonNullGraphType<ArchiveCartInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<ArchiveCartInput>("input");
                return MutationPayload.Of(await context.RequestServices!.GetRequiredService<CartService>().ArchiveAsync(
                    SenderOf(context), ArchiveCart.Create(input.TenantId, input.CartId), Prelude.Optional(input.ExpectedVersion), context.CancellationToken));
            });
    }

    private void Command<TInput, TInputType, TErrorUnion>(
        string name, string description, Func<TInput, LanguageExt.Validation<Domain.Values.InvalidInput, CartCommand>> command)
        where TInput : ICommandInput
        where TInputType : InputObjectGraphType<TInput>
        where TErrorUnion : UnionGraphType, new() =>
        Field<NonNullGraphType<PayloadType<TErrorUnion>>>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<TInput>("input");
                return MutationPayload.Of(await context.RequestServices!.GetRequiredService<CartService>().HandleAsync(
                    SenderOf(context), command(input), Prelude.Optional(input.ExpectedVersion), context.CancellationToken));
            });

    /// <summary>The client the mutation acts for, and what its events record: the request's correlation id, the mutation's name.</summary>
    private static Sender SenderOf(IResolveFieldContext context) =>
        new Sender.Client(GraphQLUserContext.Of(context).User,
            new MessageContext(CorrelationId: GraphQLUserContext.Of(context).CorrelationId, CausationId: context.FieldDefinition.Name));
}
