using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CartGraph.Api.GraphQL.Mutations;

/// <summary>What a mutation's input was, as a SHA-256 of the mutation's name and its input as JSON: equal for a repeat, not for other input.</summary>
internal static class InputFingerprint
{
    public static string Of<TInput>(string mutation, TInput input) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{mutation}\n{JsonSerializer.Serialize(input)}")));
}

/// <summary>A name-based UUID (RFC 9562 version 5, SHA-1): the same name always gives the same id.</summary>
internal static class NameBasedId
{
    /// <summary>The namespace of CartGraph's derived ids (a fixed random UUID).</summary>
    private static readonly Guid Namespace = new("3f0c2a4e-8d1b-4c7a-9e55-6b2f1d0a7c13");

    public static Guid Of(string name)
    {
        var bytes = Namespace.ToByteArray(bigEndian: true).Concat(Encoding.UTF8.GetBytes(name)).ToArray();
        var hash = SHA1.HashData(bytes)[..16];
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
