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
    /// The key kept in <paramref name="file"/>, made now when there is none. The file is created only if it does not
    /// exist (one atomic step, readable by its owner only from the start), so when processes start together one
    /// creates it and every other reads the key it wrote.
    /// </summary>
    /// <remarks>
    /// NOTE: not <c>File.Move(aside, file, overwrite: false)</c>: on Unix .NET checks that the target is absent and
    /// then renames, two steps between which another process's key could land and be replaced.
    /// </remarks>
    internal static string DevelopmentKey(string file)
    {
        if (File.Exists(file)) return KeptKey(file);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(file, options);
            writer.Write(key);
            return key;
        }
        catch (IOException) when (File.Exists(file))
        {
            return KeptKey(file);
        }
    }

    /// <summary>The key in the file, waiting a moment for a process that has just created it to write it.</summary>
    private static string KeptKey(string file)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var kept = File.ReadAllText(file).Trim();
            if (kept.Length > 0) return kept;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"The development signing key file '{file}' is empty: delete it and a new key is made.");
            Thread.Sleep(10);
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
