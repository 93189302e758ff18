using CartGraph.Api.Carts;
using CartGraph.Api.GraphQL.Errors;
using CartGraph.Api.GraphQL.Types;
using CartGraph.Domain.Carts;
using GraphQL.Types;
using LanguageExt;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>What every cart mutation answers: the cart as the command left it (with its version), or why nothing changed.</summary>
/// <param name="Errors">Each a member of the mutation's error union: a <see cref="CartError"/> or another <see cref="CartFailure"/>.</param>
public sealed record MutationPayload(CartView? Cart, IReadOnlyList<object>? Errors)
{
    public static MutationPayload Of(Either<Seq<CartFailure>, CartView> outcome) => outcome.Match(
        Right: cart => new MutationPayload(cart, null),
        Left: failures => new MutationPayload(null, failures.Map(failure => failure is CartFailure.Rejected rejected ? rejected.Error : (object)failure).ToList()));
}

/// <summary><c>NamePayload { cart version errors }</c>, with <c>errors</c> a union of the errors this mutation can give.</summary>
public sealed class PayloadType<TErrorUnion> : ObjectGraphType<MutationPayload>
    where TErrorUnion : UnionGraphType, new()
{
    public PayloadType()
    {
        var union = new TErrorUnion();
        var mutation = union.Name[..^"Error".Length];
        Name = $"{mutation}Payload";
        Description = $"The result of {char.ToLowerInvariant(mutation[0])}{mutation[1..]}: the cart, or the errors that kept it from changing.";
        Field<CartType>("cart").Description("The cart as the command left it; null when the command failed.").Resolve(c => c.Source.Cart);
        Field<LongGraphType>("version").Description("The cart's version after the command; null when it failed.").Resolve(c => c.Source.Cart?.Version);
        Field<ListGraphType<NonNullGraphType<TErrorUnion>>>("errors").Description("Why nothing changed; null on success.")
            .Resolve(c => c.Source.Errors);
    }
}
