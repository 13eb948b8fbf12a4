using System.Diagnostics.CodeAnalysis;

namespace Parley.Protocol.Client;

/// <summary>The shapes of conversation ids: <c>d:a:b</c> for a direct conversation, <c>g:id</c> for a group.</summary>
public static class ConversationIds
{
    private const string DirectPrefix = "d:";
    private const string GroupPrefix = "g:";

    /// <summary>The id of the direct conversation of two users: their usernames in ordinal order, <c>d:alice:bob</c>.</summary>
    /// <param name="user1">One username.</param>
    /// <param name="user2">The other (may be the same user: a conversation with oneself).</param>
    public static string Direct(string user1, string user2)
    {
        ArgumentException.ThrowIfNullOrEmpty(user1);
        ArgumentException.ThrowIfNullOrEmpty(user2);
        return string.CompareOrdinal(user1, user2) <= 0
            ? string.Concat(DirectPrefix, user1, ":", user2)
            : string.Concat(DirectPrefix, user2, ":", user1);
    }

    /// <summary>Whether <paramref name="conv"/> is a direct conversation id.</summary>
    public static bool IsDirect(string conv) => conv is not null && conv.StartsWith(DirectPrefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="conv"/> is a group conversation id.</summary>
    public static bool IsGroup(string conv) => conv is not null && conv.StartsWith(GroupPrefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="toOrConv"/> names a conversation rather than a user (usernames never contain a colon).</summary>
    public static bool IsConversation(string toOrConv) => toOrConv is not null && toOrConv.Contains(':', StringComparison.Ordinal);

    /// <summary>The two usernames of a direct conversation id.</summary>
    /// <returns>False when <paramref name="conv"/> is not a well-formed direct id.</returns>
    public static bool TryGetDirectMembers(string conv, [NotNullWhen(true)] out string? first, [NotNullWhen(true)] out string? second)
    {
        first = second = null;
        if (!IsDirect(conv)) return false;
        var rest = conv.AsSpan(DirectPrefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1 || rest[(colon + 1)..].Contains(':')) return false;
        first = rest[..colon].ToString();
        second = rest[(colon + 1)..].ToString();
        return true;
    }

    /// <summary>The other user of a direct conversation seen by <paramref name="me"/> (<paramref name="me"/> itself for a conversation with oneself).</summary>
    /// <returns>False when <paramref name="conv"/> is not a direct conversation of <paramref name="me"/>.</returns>
    public static bool TryGetPeer(string conv, string me, [NotNullWhen(true)] out string? peer)
    {
        peer = null;
        if (!TryGetDirectMembers(conv, out var first, out var second)) return false;
        if (first == me) peer = second;
        else if (second == me) peer = first;
        return peer is not null;
    }
}
