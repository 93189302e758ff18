using CartGraph.Api.Hosting;
using CartGraph.Api.Verbs;
using CartGraph.Infrastructure.Postgres;

try
{
    if (CommandLine.IsVerb(args)) return await CommandLine.RunAsync(args);
    await using var app = await CartGraphApp.CreateAsync(args);
    var failures = app.Services.GetRequiredService<FatalFailures>();
    await app.RunAsync();
    // Non-zero when the instance stopped because it could no longer serve, so that an orchestrator starts another.
    return failures.ExitCode;
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
