using System.Buffers;

namespace Parley.Core.Media;

/// <summary>Media ids: the SHA-256 of the bytes as 64 lowercase hex digits.</summary>
public static class MediaIds
{
    public const int Length = 64;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static bool IsValid(string? id) => id is { Length: Length } && IsLowerHex(id);

    /// <summary>Whether every character is a lowercase hex digit.</summary>
    public static bool IsLowerHex(ReadOnlySpan<char> text) => text.IndexOfAnyExcept(LowerHex) < 0;

    /// <summary>The id of bytes whose SHA-256 is <paramref name="sha256"/>.</summary>
    public static string FromHash(ReadOnlySpan<byte> sha256) => Convert.ToHexStringLower(sha256);
}
