using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Parley.Core.Conversations;

/// <summary>
/// The one definition of how conversation ids are spelled: <c>d:&lt;first&gt;:&lt;second&gt;</c> for a direct
/// conversation (the two usernames in ordinal order) and <c>g:&lt;id&gt;</c> for a group.
/// </summary>
/// <remarks>
/// This file is also compiled into Parley.Protocol (a linked source file), where the SDK's public
/// <c>ConversationIds</c> reads it: Protocol and Core each depend on nothing, and the SDK must not carry the
/// domain assembly, so sharing the source is how both keep one rule.
/// </remarks>
internal static class ConversationIdSyntax
{
    public const string DirectPrefix = "d:";
    public const string GroupPrefix = "g:";

    /// <summary>Random bytes in a new group id (written as twice as many lowercase hex characters).</summary>
    private const int GroupIdBytes = 8;

    /// <summary>The direct id of two users, their names in ordinal order (the same name twice for a self-chat).</summary>
    public static string Direct(string user1, string user2) =>
        string.CompareOrdinal(user1, user2) <= 0
            ? string.Concat(DirectPrefix, user1, ":", user2)
            : string.Concat(DirectPrefix, user2, ":", user1);

    /// <summary>A new group id, chosen by the server: <c>g:</c> and 16 random lowercase hex characters.</summary>
    public static string NewGroup() => GroupPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(GroupIdBytes));

    public static bool IsDirect([NotNullWhen(true)] string? id) => id is not null && id.StartsWith(DirectPrefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="id"/> is a group id: the prefix and at least one character after it.</summary>
    public static bool IsGroup([NotNullWhen(true)] string? id) =>
        id is not null && id.Length > GroupPrefix.Length && id.StartsWith(GroupPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The two names of a direct id: exactly two non-empty parts after the prefix. Neither the names' syntax nor
    /// their order is checked here.
    /// </summary>
    public static bool TrySplitDirect([NotNullWhen(true)] string? id, [NotNullWhen(true)] out string? first, [NotNullWhen(true)] out string? second)
    {
        first = second = null;
        if (!IsDirect(id)) return false;
        var rest = id.AsSpan(DirectPrefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1 || rest[(colon + 1)..].Contains(':')) return false;
        first = rest[..colon].ToString();
        second = rest[(colon + 1)..].ToString();
        return true;
    }
}
