using System.Data.Common;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using static Parley.Storage.Relational.ReadCommands;

namespace Parley.Storage.Relational;

/// <summary>The notes that history shows with a page of messages (issue 20), run on a read connection.</summary>
internal static class NoteQueries
{
    /// <summary>
    /// The notes placed after message <c>fromN</c> up to (not including) <c>beforeN</c>, ascending, that the viewer may see:
    /// after_n &gt;= <paramref name="visibleAfterN"/> (since the current membership began, its own "added" included), or within
    /// one of the viewer's past memberships (its "removed" or "left" included). At most <paramref name="limit"/>, the newest.
    /// </summary>
    public static async Task<IReadOnlyList<ConversationNote>> NotesAsync(DbConnection c, string conv, string viewer, long visibleAfterN,
        long fromN, long beforeN, int limit, CancellationToken cancellationToken)
    {
        var notes = await ListAsync(c,
            """
            SELECT after_n, ts, kind, actor, data FROM notes
            WHERE conv = @p0 AND after_n >= @p1 AND after_n < @p2
              AND (after_n >= @p3 OR EXISTS (SELECT 1 FROM member_periods p
                   WHERE p.conv = notes.conv AND p.username = @p4 AND notes.after_n >= p.from_n AND notes.after_n <= p.to_n))
            ORDER BY after_n DESC, id DESC LIMIT @p5
            """,
            r => new ConversationNote(r.GetInt64(0), r.GetInt64(1), (InboxEntryKind)r.GetInt32(2), r.GetString(3), r.GetString(4)),
            cancellationToken, conv, fromN, beforeN, visibleAfterN, viewer, limit);
        notes.Reverse();
        return notes;
    }
}
