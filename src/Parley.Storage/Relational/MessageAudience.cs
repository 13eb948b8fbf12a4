namespace Parley.Storage.Relational;

/// <summary>
/// Who is told of a change to message n (a reaction, an edit; v1.1): the conversation's current members who see it in their
/// history (joined before it, or were members when it was sent). Parameters: @p0 the conversation, @p1 the n.
/// </summary>
internal static class MessageAudience
{
    public const string Sql =
        """
        SELECT mb.username FROM members mb WHERE mb.conv = @p0 AND (mb.joined_n < @p1
          OR (SELECT 1 FROM member_periods p WHERE p.conv = mb.conv AND p.username = mb.username AND @p1 > p.from_n AND @p1 <= p.to_n LIMIT 1) IS NOT NULL)
        """;
}
