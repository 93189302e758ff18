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

    internal static string DevelopmentKey(string file)
    {
        if (File.Exists(file)) return File.ReadAllText(file).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes));
        File.WriteAllText(file, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
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
