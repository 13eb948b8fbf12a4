namespace Parley.Storage.Relational;

/// <summary>
/// Who is told of a change to message n (a reaction, an edit; v1.1): the conversation's current members who see it in their
/// history (joined before it, or were members when it was sent), except, in a direct conversation, the participant the
/// message is hidden from and one who blocks the actor (v1.1: a blocked user's reactions and edits are never shown).
/// Parameters: @p0 the conversation, @p1 the n, @p2 the actor.
/// </summary>
internal static class MessageAudience
{
    public const string Sql =
        """
        SELECT mb.username FROM members mb WHERE mb.conv = @p0 AND (mb.joined_n < @p1
          OR (SELECT 1 FROM member_periods p WHERE p.conv = mb.conv AND p.username = mb.username AND @p1 > p.from_n AND @p1 <= p.to_n LIMIT 1) IS NOT NULL)
          AND (substr(mb.conv, 1, 2) <> 'd:' OR mb.username = @p2
            OR ((SELECT 1 FROM messages h WHERE h.conv = mb.conv AND h.n = @p1 AND h.hidden_from = mb.username) IS NULL
              AND (SELECT 1 FROM blocks b WHERE b.blocker = mb.username AND b.blocked = @p2) IS NULL))
        """;
}
