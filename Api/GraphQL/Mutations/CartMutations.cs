using CartGraph.Api.Carts;
using CartGraph.Api.Transport;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using LanguageExt;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>
/// One mutation per cart command, HotChocolate-style: <c>name(input: NameInput!): NamePayload!</c>. Each has a file of
/// its own with its input and its error union (<c>AddItemToCart.cs</c>, ...); its resolver only maps the input to a
/// command, hands it to the carts' service (injected), and the outcome to the payload.
/// </summary>
public sealed class CartMutations : ObjectGraphType
{
    public CartMutations()
    {
        Name = "Mutation";
        Description = "Commands on carts. A rejected command changes nothing and answers with typed errors in its payload.";
        CreateCartMutation.AddTo(this);
        AddItemToCartMutation.AddTo(this);
        RemoveItemFromCartMutation.AddTo(this);
        EmptyCartMutation.AddTo(this);
        CheckOutCartMutation.AddTo(this);
        CancelCartMutation.AddTo(this);
        ArchiveCartMutation.AddTo(this);
    }

    /// <summary>A mutation that makes a command of its input and sends it to the carts' service.</summary>
    internal void Command<TInput, TInputType, TErrorUnion>(
        string name, string description, Func<TInput, Validation<InvalidInput, CartCommand>> command)
        where TInput : ICommandInput
        where TInputType : InputObjectGraphType<TInput>
        where TErrorUnion : UnionGraphType, new() =>
        Field<NonNullGraphType<PayloadType<TErrorUnion>>, MutationPayload>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInputType>>("input")
            .Resolve()
            .WithService<CartService>()
            .ResolveAsync(async (context, carts) =>
            {
                var input = context.GetArgument<TInput>("input");
                return MutationPayload.Of(await carts.HandleAsync(
                    SenderOf(context), command(input), Prelude.Optional(input.ExpectedVersion), context.CancellationToken,
                    input.IdempotencyKey, InputFingerprint.Of(name, input)));
            });

    /// <summary>The client a mutation acts for, and what its events record: the request's correlation id, the mutation's name.</summary>
    internal static Sender SenderOf(IResolveFieldContext context)
    {
        var caller = GraphQLUserContext.Of(context);
        return new Sender.Client(caller.User, new MessageContext(CorrelationId: caller.CorrelationId, CausationId: context.FieldDefinition.Name));
    }
}
