using CartGraph.Api.Hosting;
using CartGraph.Api.Verbs;
using CartGraph.Infrastructure.Postgres;

try
{
    if (CommandLine.IsVerb(args)) return await CommandLine.RunAsync(args);
    await using var app = await CartGraphApp.CreateAsync(args);
    await app.RunAsync();
    return 0;
}
catch (ConfigurationProblemsException e)
{
    foreach (var problem in e.Problems) Console.Error.WriteLine($"cartgraph: {problem}");
    return 1;
}
catch (LocalPostgresException e)
{
    // One clear line, no stack trace: what to install or set.
    Console.Error.WriteLine($"cartgraph: {e.Message.Split('\n')[0]}");
    return 1;
}
