using System.Globalization;
using CartGraph.Api.Security;
using CartGraph.Domain.Values;

namespace CartGraph.Api.Verbs;

/// <summary><c>token --tenant ID [--tenant ID2 ...] [--hours N]</c>: prints a bearer token for those tenants.</summary>
public static class TokenVerb
{
    public static int Run(string[] args, IConfiguration configuration, IHostEnvironment environment)
    {
        var raw = CommandLine.Options(args, "--tenant");
        if (raw.Count == 0)
        {
            Console.Error.WriteLine("usage: token --tenant ID [--tenant ID2 ...] [--hours N]");
            return 2;
        }
        var tenants = raw.Select(t => TenantId.Create(t)).ToList();
        if (tenants.Where(t => t.IsFail).SelectMany(t => t.FailToSeq()).ToList() is { Count: > 0 } problems)
        {
            foreach (var problem in problems) Console.Error.WriteLine($"cartgraph token: {problem.Message}");
            return 2;
        }
        var hours = CommandLine.Option(args, "--hours") is { } h ? double.Parse(h, CultureInfo.InvariantCulture) : 24;
        if (hours is <= 0 or > 24 * 366)
        {
            Console.Error.WriteLine("cartgraph token: --hours must be more than 0 and at most a year.");
            return 2;
        }

        var options = AuthOptions.From(configuration);
        var tokens = new Tokens(options, SigningKeys.Resolve(options, environment));
        Console.WriteLine(tokens.Issue(tenants.SelectMany(t => t.SuccessToSeq()), TimeSpan.FromHours(hours), subject: "cli"));
        return 0;
    }
}
