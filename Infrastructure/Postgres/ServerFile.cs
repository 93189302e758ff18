namespace CartGraph.Infrastructure.Postgres;

/// <summary>A configuration file CartGraph writes into a data directory.</summary>
public static class ServerFile
{
    /// <summary>Written aside and renamed over the file, so the server never reads half of it; readable by the server's account.</summary>
    public static void Write(string path, IEnumerable<string> lines)
    {
        var aside = path + ".cartgraph-new";
        File.WriteAllLines(aside, lines);
        // Written by root for the postgres user: make it readable whatever the umask.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(aside, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(aside, path, overwrite: true);
    }
}
