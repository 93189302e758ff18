using CartGraph.Infrastructure.Postgres;

namespace CartGraph.Tests.Integration.Postgres;

/// <summary>A fact that acts as other OS users (runuser) and so needs root; skipped, saying why, otherwise. CI runs as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (ServerAccount.Detect().SwitchTo is null)
            Skip = "needs root: it runs psql and the API as other OS users through runuser";
    }
}

/// <summary>The theory form of <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (ServerAccount.Detect().SwitchTo is null)
            Skip = "needs root: it runs psql and the API as other OS users through runuser";
    }
}
