namespace CartGraph.Domain.Values;

/// <summary>One problem with one field of raw input; validation collects all of them at once.</summary>
public sealed record InvalidInput(string Field, string Reason)
{
    public string Message => $"{Field} {Reason}";
}
