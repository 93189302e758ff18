namespace CartGraph.Infrastructure.Postgres;

/// <summary>
/// <c>pg_hba.conf</c> of a local cluster: every client, on the Unix socket and on loopback TCP, gives the superuser's
/// password (<c>scram-sha-256</c>); nothing is trusted. The file is CartGraph's, rewritten whole when it differs.
/// </summary>
public static class ClientAuthentication
{
    public const string FileName = "pg_hba.conf";

    static readonly string[] Rules =
    [
        "# Written by CartGraph: every client gives the password kept in the .pgpass file beside this data directory.",
        "# Nothing is trusted. A file that differs from this one is replaced at the next start.",
        "local  all  all                scram-sha-256",
        "host   all  all  127.0.0.1/32  scram-sha-256",
        "host   all  all  ::1/128       scram-sha-256",
    ];

    /// <summary>True when the file says exactly what <see cref="Write"/> writes.</summary>
    public static bool IsCurrent(string dataDirectory) =>
        File.Exists(PathIn(dataDirectory)) && File.ReadAllLines(PathIn(dataDirectory)).SequenceEqual(Rules);

    /// <summary>True when some rule lets a client in without a password (an earlier CartGraph wrote <c>trust</c>).</summary>
    public static bool TrustsSomeone(string dataDirectory) =>
        File.Exists(PathIn(dataDirectory))
        && File.ReadLines(PathIn(dataDirectory)).Any(line => !line.TrimStart().StartsWith('#')
            && line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Contains("trust"));

    public static void Write(string dataDirectory) => ServerFile.Write(PathIn(dataDirectory), Rules);

    static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);
}
