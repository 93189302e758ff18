using System.Buffers.Text;
using System.Security.Cryptography;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>
/// The superuser's password of a local cluster, in a libpq password file beside its data directory
/// (<c>.data/postgres.pgpass</c> for <c>.data/postgres</c>) that only the OS user running CartGraph can read (0600), so
/// <c>PGPASSFILE=.data/postgres.pgpass psql -h 127.0.0.1 -p PORT -U postgres</c> connects with it as it is.
/// </summary>
public sealed record PasswordFile(string Location)
{
    public const string Superuser = "postgres";

    public static PasswordFile Beside(string dataDirectory) => new(Path.TrimEndingDirectorySeparator(dataDirectory) + ".pgpass");

    /// <summary>256 random bits in base64url: nothing to escape in a pgpass line (no ':' or '\') nor in a connection string.</summary>
    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The superuser's password, or null when the file does not exist or names none.</summary>
    public string? Read()
    {
        try
        {
            return File.Exists(Location)
                ? File.ReadLines(Location)
                    .Where(line => line.Length > 0 && !line.StartsWith('#'))
                    .Select(line => line.Split(':', 5))
                    .Where(fields => fields.Length == 5 && fields[3] == Superuser && fields[4].Length > 0)
                    .Select(fields => fields[4])
                    .FirstOrDefault()
                : null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LocalPostgresException($"Cannot read the cluster's password file {Location}: run as the OS user who owns it", e);
        }
    }

    /// <summary>Replaces the file at once (written aside with mode 0600 from the start, then renamed): never half written.</summary>
    public void Write(string password)
    {
        var aside = $"{Location}.{Guid.NewGuid():N}.new";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(aside, options))
        {
            using var writer = new StreamWriter(stream);
            writer.Write(
                $"# The password of the superuser '{Superuser}' of CartGraph's PostgreSQL cluster beside this file.\n"
                + $"# PGPASSFILE={Location} psql -h 127.0.0.1 -p PORT -U {Superuser}   (PORT: see CartGraph's log)\n"
                + $"*:*:*:{Superuser}:{password}\n");
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(aside, Location, overwrite: true);
    }
}
