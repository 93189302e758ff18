using System.Security.Cryptography;
using System.Text;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>
/// What PostgreSQL stores for a <c>scram-sha-256</c> password (RFC 5802, RFC 7677), computed here as psql's
/// <c>\password</c> does: <c>ALTER ROLE ... PASSWORD '&lt;verifier&gt;'</c> then sends the server no password at all,
/// so neither its log nor an error can show one.
/// </summary>
/// <remarks>NOTE: SCRAM prepares the password with SASLprep, the identity for the ASCII passwords we generate.</remarks>
public static class ScramVerifier
{
    /// <summary>PostgreSQL's own defaults: 4096 iterations (<c>scram_iterations</c>), a 16-byte salt.</summary>
    const int Iterations = 4096;
    const int SaltBytes = 16;

    /// <summary><c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c>, with a fresh random salt.</summary>
    public static string For(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
