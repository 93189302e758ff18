using CartGraph.Api.GraphQL;
using CartGraph.Api.GraphQL.Errors;
using CartGraph.Domain.Carts;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace CartGraph.Tests.Api;

/// <summary>
/// Each mutation's error union holds every error the decider can answer its command with (<see cref="CartErrors"/>,
/// itself checked against Decide by a property): a rule that gains an error cannot leave a client unable to see it.
/// </summary>
public sealed class ErrorUnionSpecs
{
    [Fact]
    public async Task Every_mutation_that_sends_a_command_lists_every_error_the_decider_can_answer_it_with()
    {
        var unions = await CommandUnionsAsync();

        var missing = unions
            .SelectMany(union => CartErrors.Of(union.Command)
                .Where(error => !union.Members.Contains(error))
                .Select(error => $"{union.Name} lacks {error.Name}, which Decide can answer {union.Command.Name} with"))
            .ToList();

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public async Task Every_command_of_the_decider_has_a_mutation()
    {
        var sent = (await CommandUnionsAsync()).Select(union => union.Command).ToHashSet();

        Assert.Empty(CartErrors.Commands.Where(command => !sent.Contains(command)).Select(command => command.Name));
    }

    private sealed record CommandUnion(string Name, Type Command, IReadOnlySet<Type> Members);

    /// <summary>The error union of each mutation of the served schema that sends a command, with the errors its members show.</summary>
    private static async Task<IReadOnlyList<CommandUnion>> CommandUnionsAsync()
    {
        await using var services = new ServiceCollection().AddCartSchema().BuildServiceProvider();
        var schema = services.GetRequiredService<CartSchema>();
        schema.Initialize();
        return schema.Mutation!.Fields
            .Select(field => ((IComplexGraphType)field.ResolvedType!.GetNamedType()).GetField("errors")!.ResolvedType!.GetNamedType())
            .Cast<UnionGraphType>()
            .Where(union => CommandOf(union.GetType()) is not null)
            .Select(union => new CommandUnion(union.Name, CommandOf(union.GetType())!, union.PossibleTypes.Select(ErrorOf).ToHashSet()))
            .ToList();
    }

    /// <summary>The command a <see cref="CommandErrorUnion{TCommand}"/> is for; null for another union.</summary>
    private static Type? CommandOf(Type union) =>
        Bases(union).FirstOrDefault(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(CommandErrorUnion<>))
            ?.GetGenericArguments()[0];

    /// <summary>The error an error type shows: the <c>TError</c> of its <see cref="ErrorType{TError}"/>.</summary>
    private static Type ErrorOf(IObjectGraphType type) =>
        Bases(type.GetType()).Single(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ErrorType<>)).GetGenericArguments()[0];

    private static IEnumerable<Type> Bases(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType) yield return t;
    }
}
