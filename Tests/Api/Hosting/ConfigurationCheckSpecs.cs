using CartGraph.Api.Hosting;

namespace CartGraph.Tests.Api.Hosting;

/// <summary>
/// The configuration is checked as a whole before anything starts (no database is touched): every problem is one
/// line naming its key, and outside Development the service refuses to start without a way to check tokens.
/// </summary>
public sealed class ConfigurationCheckSpecs
{
    private static async Task<IReadOnlyList<string>> ProblemsStartingWith(string environment, IDictionary<string, string?> settings)
    {
        var refused = await Assert.ThrowsAsync<ConfigurationProblemsException>(() => CartGraphApp.CreateAsync(
            ["--urls", "http://127.0.0.1:0", "--environment", environment],
            builder => { foreach (var (key, value) in settings) builder.Configuration[key] = value; }));
        return refused.Problems;
    }

    [Fact]
    public async Task Outside_Development_it_refuses_to_start_without_a_signing_key_or_an_authority()
    {
        var problems = await ProblemsStartingWith("Production", new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventStore"] = "Host=127.0.0.1;Port=1;Username=nobody",
        });

        var problem = Assert.Single(problems);
        Assert.Contains("Auth:SigningKey", problem, StringComparison.Ordinal);
        Assert.Contains("Auth:Authority", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once_one_line_each_naming_its_key()
    {
        var problems = await ProblemsStartingWith("Production", new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventStore"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["Auth:SigningKey"] = "c2hvcnQ=",
            ["Limits:MaxQueryDepth"] = "0",
            ["Limits:MaxSelections"] = "-1",
            ["Projections:BatchSize"] = "0",
            ["Health:MaxProjectionLag"] = "-00:00:01",
            ["Telemetry:OtlpEndpoint"] = "not a url",
            ["Caches:CartMegabytes"] = "0",
            ["Tenants:PartitionPool:Size"] = "-1",
        });

        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
        foreach (var key in (string[])["Auth:SigningKey", "Limits:MaxQueryDepth", "Limits:MaxSelections", "Projections:BatchSize",
                     "Health:MaxProjectionLag", "Telemetry:OtlpEndpoint", "Caches:CartMegabytes", "Tenants:PartitionPool:Size"])
            Assert.Single(problems, p => p.Contains(key, StringComparison.Ordinal));
        Assert.Equal(8, problems.Count);
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_is_a_problem_not_a_crash()
    {
        var problems = await ProblemsStartingWith("Production", new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventStore"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Limits:MaxRequestBytes"] = "lots",
            ["Caches:AggregateMegabytes"] = "half a gig",
        });

        Assert.Equal(2, problems.Count);
        Assert.Single(problems, p => p.Contains("Limits:MaxRequestBytes", StringComparison.Ordinal));
        Assert.Single(problems, p => p.Contains("Caches:AggregateMegabytes", StringComparison.Ordinal));
    }
}
