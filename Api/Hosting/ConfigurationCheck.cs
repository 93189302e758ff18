using CartGraph.Api.Health;
using CartGraph.Api.Security;
using Npgsql;

namespace CartGraph.Api.Hosting;

/// <summary>Configuration is checked as a whole before anything starts: every problem, one clear line each.</summary>
public static class ConfigurationCheck
{
    public static IReadOnlyList<string> Problems(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string>();

        if (configuration.GetConnectionString(EventStoreConnection.ConfigurationKey) is { Length: > 0 } connectionString)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException e)
            {
                problems.Add($"ConnectionStrings:EventStore is not a valid connection string: {e.Message}");
            }
        }

        Bound(problems, () =>
        {
            var auth = AuthOptions.From(configuration);
            SigningKeys.Resolve(auth, environment);
            if (auth.Authority is { Length: > 0 } authority && !Uri.TryCreate(authority, UriKind.Absolute, out _))
                problems.Add($"Auth:Authority must be an absolute URL, not '{authority}'.");
        });

        Bound(problems, () =>
        {
            var limits = ApiLimits.From(configuration);
            Positive(problems, "Limits:MaxQueryDepth", limits.MaxQueryDepth);
            Positive(problems, "Limits:MaxQueryComplexity", limits.MaxQueryComplexity);
            Positive(problems, "Limits:MaxSelections", limits.MaxSelections);
            Positive(problems, "Limits:MaxRequestBytes", limits.MaxRequestBytes);
            Positive(problems, "Limits:MaxOperationsPerConnection", limits.MaxOperationsPerConnection);
            Positive(problems, "Limits:MaxSubscriptionsPerConnection", limits.MaxSubscriptionsPerConnection);
            Positive(problems, "Limits:MaxConnectionsPerTenant", limits.MaxConnectionsPerTenant);
            Positive(problems, "Limits:MutationsPerSecondPerTenant", limits.MutationsPerSecondPerTenant);
            Positive(problems, "Limits:MutationBurstPerTenant", limits.MutationBurstPerTenant);
            if (limits.OperationTimeout <= TimeSpan.Zero) problems.Add("Limits:OperationTimeout must be a positive duration, e.g. 00:00:15.");
        });

        Bound(problems, () => Positive(problems, "Realtime:SubscriberBuffer", Realtime.RealtimeSettings.From(configuration).SubscriberBuffer));

        Bound(problems, () =>
        {
            if (HealthOptions.From(configuration).MaxProjectionLag <= TimeSpan.Zero)
                problems.Add("Health:MaxProjectionLag must be a positive duration, e.g. 00:00:30.");
        });

        Bound(problems, () =>
        {
            var projections = ProjectionSettings.From(configuration);
            Positive(problems, "Projections:BatchSize", projections.BatchSize);
            PositiveDuration(problems, "Projections:PollInterval", projections.PollInterval);
            PositiveDuration(problems, "Projections:OwnershipInterval", projections.OwnershipInterval);
            PositiveDuration(problems, "Projections:LagInterval", projections.LagInterval);
            Positive(problems, "Projections:MaxBatchesInFlight", projections.MaxBatchesInFlight);
        });

        Bound(problems, () =>
        {
            var pool = PartitionPoolSettings.From(configuration);
            if (pool.Size < 0) problems.Add($"{PartitionPoolSettings.Section}:Size must be 0 (no pool) or more, not {pool.Size}.");
            PositiveDuration(problems, $"{PartitionPoolSettings.Section}:CheckInterval", pool.CheckInterval);
        });

        Bound(problems, () => DocumentSecurity.From(configuration));
        Bound(problems, () =>
        {
            var caches = CacheSettings.From(configuration);
            Positive(problems, $"{CacheSettings.Section}:AggregateMegabytes", caches.AggregateMegabytes ?? 1);
            Positive(problems, $"{CacheSettings.Section}:CartMegabytes", caches.CartMegabytes ?? 1);
        });

        if (configuration["Telemetry:OtlpEndpoint"] is { Length: > 0 } otlp && !Uri.TryCreate(otlp, UriKind.Absolute, out _))
            problems.Add($"Telemetry:OtlpEndpoint must be an absolute URL, not '{otlp}'.");

        return problems;
    }

    /// <summary>A section that cannot even be read (a number that is not one, say) is a problem too, not a crash.</summary>
    private static void Bound(List<string> problems, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            problems.Add(e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message);
        }
    }

    private static void Positive(List<string> problems, string key, long value)
    {
        if (value <= 0) problems.Add($"{key} must be positive; it is {value}.");
    }

    private static void PositiveDuration(List<string> problems, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) problems.Add($"{key} must be a positive duration, e.g. 00:00:02; it is {value}.");
    }
}

/// <summary>Thrown before start when the configuration has problems; each is one line for the operator.</summary>
public sealed class ConfigurationProblemsException(IReadOnlyList<string> problems)
    : Exception($"The configuration has {problems.Count} problem(s).")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
