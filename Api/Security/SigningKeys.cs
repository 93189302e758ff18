using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CartGraph.Api.Security;

/// <summary>
/// The key tokens are signed with: the configured one, or in Development one generated once and kept under
/// <c>.data/signing-key</c> so that tokens printed by the <c>token</c> verb keep working across restarts.
/// </summary>
public static class SigningKeys
{
    public const int MinimumBytes = 32;
    public static readonly string DevelopmentKeyFile = Path.Combine(".data", "signing-key");

    /// <summary>The key, or null when an authority signs the tokens; a configuration problem as one clear line.</summary>
    public static SymmetricSecurityKey? Resolve(AuthOptions options, IHostEnvironment environment)
    {
        if (options.SigningKey is { Length: > 0 } configured) return Parse(configured);
        if (options.Authority is { Length: > 0 }) return null;
        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                "Auth:SigningKey (base64, at least 32 bytes) or Auth:Authority must be configured outside Development "
                + "(environment variable Auth__SigningKey or Auth__Authority).");
        return Parse(DevelopmentKey(DevelopmentKeyFile));
    }

    /// <summary>
    /// The key kept in <paramref name="file"/>, made now when there is none. Written aside, readable by its owner only from
    /// the start, then moved in place unless another process got there first, whose key is then the one kept.
    /// </summary>
    internal static string DevelopmentKey(string file)
    {
        if (File.Exists(file)) return File.ReadAllText(file).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes));
        var aside = $"{file}.{Guid.NewGuid():N}.new";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(aside, options)) writer.Write(key);
        try
        {
            File.Move(aside, file, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(aside);
            return File.ReadAllText(file).Trim();
        }
    }

    private static SymmetricSecurityKey Parse(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Auth:SigningKey must be base64 (e.g. the output of `openssl rand -base64 32`).");
        }
        if (bytes.Length < MinimumBytes)
            throw new InvalidOperationException($"Auth:SigningKey must be at least {MinimumBytes} bytes; it is {bytes.Length}.");
        return new SymmetricSecurityKey(bytes);
    }
}
