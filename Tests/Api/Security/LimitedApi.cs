using Xunit.Abstractions;

namespace CartGraph.Tests.Api.Security;

/// <summary>
/// A server whose second instance, <see cref="BaseAddress"/>, runs with every limit small enough to trip in a spec
/// (section <c>Limits</c>, see Api/Security/ApiLimits.cs). Its first instance, on the same database, keeps the
/// defaults: specs set their data up through it, so that setting up trips nothing.
/// </summary>
public sealed class LimitedApi(IMessageSink diagnostics) : IAsyncLifetime
{
    public const int MaxQueryDepth = 3;
    public const int MaxQueryComplexity = 100;
    public const int MaxSelections = 40;
    public const int MaxRequestBytes = 4_096;
    public const int MaxOperationsPerConnection = 3;
    public const int MaxSubscriptionsPerConnection = 2;
    public const int MaxConnectionsPerTenant = 2;
    public const int MutationsPerSecondPerTenant = 2;
    public const int MutationBurstPerTenant = 3;

    public ApiServer Api { get; } = new(diagnostics);

    /// <summary>The instance with small limits.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        BaseAddress = await Api.StartAnotherAsync(builder =>
        {
            var limits = new Dictionary<string, int>
            {
                [nameof(MaxQueryDepth)] = MaxQueryDepth,
                [nameof(MaxQueryComplexity)] = MaxQueryComplexity,
                [nameof(MaxSelections)] = MaxSelections,
                [nameof(MaxRequestBytes)] = MaxRequestBytes,
                [nameof(MaxOperationsPerConnection)] = MaxOperationsPerConnection,
                [nameof(MaxSubscriptionsPerConnection)] = MaxSubscriptionsPerConnection,
                [nameof(MaxConnectionsPerTenant)] = MaxConnectionsPerTenant,
                [nameof(MutationsPerSecondPerTenant)] = MutationsPerSecondPerTenant,
                [nameof(MutationBurstPerTenant)] = MutationBurstPerTenant,
            };
            foreach (var (key, value) in limits) builder.Configuration[$"Limits:{key}"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    public Task DisposeAsync() => Api.DisposeAsync();
}
