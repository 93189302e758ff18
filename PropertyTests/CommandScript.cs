using CartGraph.Domain.Carts;
using LanguageExt;

namespace CartGraph.PropertyTests;

/// <summary>Commands one client sends to one cart, in order; rejected ones are simply skipped when it runs.</summary>
public sealed record CommandScript(Seq<CartCommand> Commands)
{
    // One command a line, so that a shrunk counterexample reads as a story.
    public override string ToString() =>
        $"CommandScript ({Commands.Count}):{Environment.NewLine}" +
        string.Join(Environment.NewLine, Commands.Select((command, index) => $"  {index + 1}. {command}"));
}
