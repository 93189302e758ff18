using CartGraph.Domain.Carts;

namespace CartGraph.Tests.Unit.Carts;

/// <summary>The table of which errors each command can meet covers every command and every error of the decider.</summary>
public sealed class CartErrorsSpecs
{
    [Fact]
    public void Every_command_case_has_its_errors_listed()
    {
        Assert.Equal(CasesOf<CartCommand>().Select(t => t.Name).Order(), CartErrors.Commands.Select(t => t.Name).Order());
    }

    [Fact]
    public void Every_error_case_is_listed_for_a_command_but_the_one_no_rule_reaches()
    {
        var listed = CartErrors.Commands.SelectMany(CartErrors.Of).ToHashSet();

        Assert.Empty(CasesOf<CartError>()
            .Where(error => error != typeof(CartError.UnsupportedCommand) && !listed.Contains(error))
            .Select(error => error.Name));
    }

    /// <summary>The cases of a closed union: its nested records deriving from it.</summary>
    private static IEnumerable<Type> CasesOf<TUnion>() =>
        typeof(TUnion).GetNestedTypes().Where(type => type.IsSubclassOf(typeof(TUnion)));
}
