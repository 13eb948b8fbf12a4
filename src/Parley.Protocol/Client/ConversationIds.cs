using System.Diagnostics.CodeAnalysis;
using Parley.Core.Conversations;

namespace Parley.Protocol.Client;

/// <summary>The shapes of conversation ids: <c>d:a:b</c> for a direct conversation, <c>g:id</c> for a group.</summary>
public static class ConversationIds
{
    /// <summary>The id of the direct conversation of two users: their usernames in ordinal order, <c>d:alice:bob</c>.</summary>
    /// <param name="user1">One username.</param>
    /// <param name="user2">The other (may be the same user: a conversation with oneself).</param>
    public static string Direct(string user1, string user2)
    {
        ArgumentException.ThrowIfNullOrEmpty(user1);
        ArgumentException.ThrowIfNullOrEmpty(user2);
        return ConversationIdSyntax.Direct(user1, user2);
    }

    /// <summary>Whether <paramref name="conv"/> is a direct conversation id.</summary>
    public static bool IsDirect(string conv) => ConversationIdSyntax.IsDirect(conv);

    /// <summary>Whether <paramref name="conv"/> is a group conversation id.</summary>
    public static bool IsGroup(string conv) => ConversationIdSyntax.IsGroup(conv);

    /// <summary>Whether <paramref name="toOrConv"/> names a conversation rather than a user (usernames never contain a colon).</summary>
    public static bool IsConversation(string toOrConv) => toOrConv is not null && toOrConv.Contains(':', StringComparison.Ordinal);

    /// <summary>The two usernames of a direct conversation id.</summary>
    /// <returns>False when <paramref name="conv"/> is not a well-formed direct id.</returns>
    public static bool TryGetDirectMembers(string conv, [NotNullWhen(true)] out string? first, [NotNullWhen(true)] out string? second) =>
        ConversationIdSyntax.TrySplitDirect(conv, out first, out second);

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
