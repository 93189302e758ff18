using CartGraph.Api.Hosting;
using CartGraph.Api.Verbs;
using CartGraph.Infrastructure.Postgres;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:5080");

try
{
    if (CommandLine.IsVerb(args))
    {
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        return args[0] switch
        {
            "migrate" => await MigrateVerb.RunAsync(builder.Configuration, loggers),
            "rebuild" => await RebuildVerb.RunAsync(args, builder.Configuration, loggers),
            _ => 2,
        };
    }

    await builder.AddCartGraphAsync();
    await using var app = builder.Build();
    app.MapCartGraph();
    await app.RunAsync();
    return 0;
}
catch (LocalPostgresException e)
{
    // One clear line, no stack trace: what to install or set.
    Console.Error.WriteLine($"cartgraph: {e.Message.Split('\n')[0]}");
    return 1;
}
