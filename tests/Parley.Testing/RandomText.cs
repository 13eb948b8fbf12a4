using System.Security.Cryptography;

namespace Parley.Testing;

/// <summary>Files for upload tests: plain text (a type with no signature to build), different every time.</summary>
public static class RandomText
{
    /// <summary><paramref name="length"/> random lowercase letters.</summary>
    public static byte[] Letters(int length)
    {
        var letters = new byte[length];
        RandomNumberGenerator.Fill(letters);
        for (var i = 0; i < length; i++) letters[i] = (byte)('a' + (letters[i] % 26));
        return letters;
    }
}
