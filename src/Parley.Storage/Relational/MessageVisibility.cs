namespace Parley.Storage.Relational;

/// <summary>
/// The one rule of which message a user may reply to or react to (v1.1), as SQL shared by both databases: a message
/// neither deleted nor expired at that moment, not hidden from the user (sent to them while they block its sender), that the user sees in the conversation's history (a participant of a
/// direct conversation; in a group, sent after the user joined, or within one of the user's past memberships, as
/// <see cref="ConversationQueries.HistoryAsync"/> shows them). Whether the user is a participant or a current member is
/// checked by the caller.
/// </summary>
internal static class MessageVisibility
{
    /// <summary>
    /// A predicate over a message row aliased <c>m</c> that holds when <paramref name="user"/> sees it at
    /// <paramref name="at"/>; the arguments are SQL expressions (parameters or columns).
    /// </summary>
    public static string SeenBy(string user, string at) =>
        $"""
        m.deleted_at IS NULL AND (m.expires_at IS NULL OR m.expires_at > {at}) AND (m.hidden_from IS NULL OR m.hidden_from <> {user})
        AND (substr(m.conv, 1, 2) = 'd:'
          OR (SELECT 1 FROM members mb WHERE mb.conv = m.conv AND mb.username = {user} AND m.n > mb.joined_n) IS NOT NULL
          OR (SELECT 1 FROM member_periods p WHERE p.conv = m.conv AND p.username = {user} AND m.n > p.from_n AND m.n <= p.to_n LIMIT 1) IS NOT NULL)
        """;
}
