namespace CartGraph.Infrastructure.Postgres;

/// <summary>A directory holding <c>pg_ctl</c> and <c>initdb</c> side by side.</summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    public const string DebianRoot = "/usr/lib/postgresql";

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");
    public string InitDb => Path.Combine(BinDirectory, "initdb");
    public string Postgres => Path.Combine(BinDirectory, "postgres");

    /// <summary>The machine's binaries, or <see cref="PostgresBinariesNotFoundException"/>.</summary>
    public static PostgresBinaries Locate() =>
        TryLocate(DebianRoot, Environment.GetEnvironmentVariable("PATH")) ?? throw new PostgresBinariesNotFoundException();

    /// <summary>The highest version under <paramref name="debianRoot"/>/*/bin, else the first pair on PATH.</summary>
    public static PostgresBinaries? TryLocate(string debianRoot, string? pathVariable) =>
        FromDebianLayout(debianRoot) ?? FromPath(pathVariable ?? "");

    static PostgresBinaries? FromDebianLayout(string root) =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(dir => (Version: VersionOf(Path.GetFileName(dir)), Bin: Path.Combine(dir, "bin")))
                .Where(c => c.Version is not null && HasBoth(c.Bin))
                .OrderByDescending(c => c.Version)
                .Select(c => new PostgresBinaries(c.Bin))
                .FirstOrDefault()
            : null;

    // NOTE: PATH entries may be symlinks (e.g. /usr/local/bin/pg_ctl -> /usr/lib/postgresql/15/bin/pg_ctl);
    // initdb must sit next to the real pg_ctl, so look where the link points.
    static PostgresBinaries? FromPath(string pathVariable) =>
        pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "pg_ctl"))
            .Where(File.Exists)
            .Select(pgCtl => Path.GetDirectoryName(RealPath(pgCtl)))
            .Where(bin => bin is not null && HasBoth(bin))
            .Select(bin => new PostgresBinaries(bin!))
            .FirstOrDefault();

    static string RealPath(string file) => File.ResolveLinkTarget(file, returnFinalTarget: true)?.FullName ?? file;

    static bool HasBoth(string bin) => File.Exists(Path.Combine(bin, "pg_ctl")) && File.Exists(Path.Combine(bin, "initdb"));

    static Version? VersionOf(string name) => Version.TryParse(name.Contains('.') ? name : name + ".0", out var v) ? v : null;
}
