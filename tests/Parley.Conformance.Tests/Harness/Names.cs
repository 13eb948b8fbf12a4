using System.Security.Cryptography;

namespace Parley.Conformance.Tests.Harness;

/// <summary>Unique usernames (^[a-z0-9_]{3,32}$) so that tests sharing a server never meet.</summary>
public static class Names
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A random lowercase suffix.</summary>
    public static string Random(int length = 10) => RandomNumberGenerator.GetString(Alphabet, length);

    /// <summary>e.g. <c>alice_k3j9x0a1bz</c>; the prefix should be short (at most 20 characters).</summary>
    public static string User(string prefix) => $"{prefix}_{Random()}";

    /// <summary>The id of the direct conversation of two users: usernames in ordinal (byte) order.</summary>
    public static string Direct(string a, string b) =>
        string.CompareOrdinal(a, b) <= 0 ? $"d:{a}:{b}" : $"d:{b}:{a}";
}
