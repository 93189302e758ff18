namespace CartGraph.Benchmarks;

/// <summary>
/// The fan-out's thousands of clients handle each message on the socket engine's own thread instead of handing it to the
/// thread pool first: they share the two cores with the server they measure, and should take as little of them as they
/// can. Set for this process before its first socket (the runtime reads it once); never passed on to the API's process,
/// which runs as it is configured.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private static bool setHere;

    public static void ForThisProcess()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null) return;
        Environment.SetEnvironmentVariable(Variable, "1");
        setHere = true;
    }

    /// <summary>Takes the setting out of a child's environment, unless it came from outside this process.</summary>
    public static void KeepFrom(IDictionary<string, string?> environment)
    {
        if (setHere) environment.Remove(Variable);
    }
}
