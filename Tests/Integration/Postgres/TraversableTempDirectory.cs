namespace CartGraph.Tests.Integration.Postgres;

/// <summary>A new temporary directory the postgres OS user (when we are root) can traverse to reach a data directory in it.</summary>
public static class TraversableTempDirectory
{
    public static string Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }
}
