using CartGraph.Infrastructure.Schema;

namespace CartGraph.Api.Verbs;

/// <summary>The verbs of the Api program: the same binary and configuration as the server, run once.</summary>
public static class CommandLine
{
    public static readonly IReadOnlyDictionary<string, string> Usage = new Dictionary<string, string>
    {
        ["schema"] = "schema export [--output FILE]  write the SDL the server serves (default schema.graphql)",
        ["migrate"] = "migrate                       create or upgrade the database schema and exit",
        ["token"] = "token --tenant ID [--tenant ID2 ...] [--hours N]   print a bearer token for those tenants",
        ["rebuild"] = "rebuild [--projection carts-read-model] [--tenant ID ...]   replay a read model from the start",
        ["tenant"] = $"{TenantVerb.Usage}   a tenant's life, while the service runs",
        ["documents"] = "documents export              print the trusted documents manifest { \"sha256:<hex>\": \"<document>\" }",
        ["parked"] = "parked list [--tenant ID] | parked retry --tenant ID [--stream ID] | parked skip --tenant ID --stream ID --position N"
                     + "   messages a projection could not apply",
    };

    public static bool IsVerb(string[] args) => args.Length > 0 && Usage.ContainsKey(args[0]);

    /// <summary>Runs the verb with the server's own configuration (appsettings, environment, command line).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        using var loggers = LoggerFactory.Create(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true));
        try
        {
            return await RunVerbAsync(args, configuration, loggers, builder.Environment);
        }
        catch (MigrationFailedException e) // every verb but schema, token and documents migrates first
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static async Task<int> RunVerbAsync(string[] args, IConfiguration configuration, ILoggerFactory loggers, IHostEnvironment environment) =>
        args[0] switch
        {
            "schema" => await SchemaExportVerb.RunAsync(args),
            "migrate" => await MigrateVerb.RunAsync(configuration, loggers),
            "token" => TokenVerb.Run(args, configuration, environment),
            "rebuild" => await RebuildVerb.RunAsync(args, configuration, loggers),
            "tenant" => await TenantVerb.RunAsync(args, configuration, loggers, Console.Out, Console.Error),
            "documents" => DocumentsVerb.Run(args),
            "parked" => await ParkedVerb.RunAsync(args, configuration, loggers),
            _ => 2,
        };

    /// <summary>The value after <paramref name="name"/>, e.g. <c>--output FILE</c>.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>Every value given for a repeatable option, e.g. <c>--tenant A --tenant B</c>.</summary>
    public static IReadOnlyList<string> Options(string[] args, string name) =>
        args.Select((arg, i) => (arg, i)).Where(p => p.arg == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();
}
