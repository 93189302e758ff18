using System.Security.Cryptography;
using System.Text;

namespace CartGraph.Infrastructure.Schema;

/// <summary>One versioned step of the database schema, as shipped in this assembly.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>Detects a migration edited after it was applied somewhere.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>Every migration of this assembly, in order: embedded files named <c>NNNN_name.sql</c>.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    public static int Latest => All[^1].Version;

    private static Migration[] Load()
    {
        var assembly = typeof(Migration).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("Migrations/", StringComparison.Ordinal))
            .Select(name =>
            {
                var file = name["Migrations/".Length..^".sql".Length];
                var separator = file.IndexOf('_', StringComparison.Ordinal);
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return new Migration(int.Parse(file[..separator], System.Globalization.CultureInfo.InvariantCulture),
                    file[(separator + 1)..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToArray();
    }
}
