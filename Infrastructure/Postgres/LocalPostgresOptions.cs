namespace CartGraph.Infrastructure.Postgres;

/// <summary>Server settings for a local cluster; the defaults suit the API and the benchmarks.</summary>
public sealed record LocalPostgresOptions
{
    public static LocalPostgresOptions Default { get; } = new();

    /// <summary>Off only for throwaway test clusters: a crash may then lose or corrupt data.</summary>
    public bool Fsync { get; init; } = true;
    public int MaxConnections { get; init; } = 200;
    public string SharedBuffers { get; init; } = "128MB";

    /// <summary>How long initdb, start and the first accepted connection may take, each.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
