using System.Data.Common;
using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Messages;
using static Parley.Storage.Relational.ReadCommands;

namespace Parley.Storage.Relational;

/// <summary>The conversation reads (history, the conversation list, group membership), run on a read connection.</summary>
internal static class ConversationQueries
{
    /// <summary>The newest <paramref name="limit"/> messages the viewer may see before <paramref name="before"/>, ascending.</summary>
    public static async Task<IReadOnlyList<StoredMessage>> HistoryAsync(DbConnection c, string conv, string viewer, long afterN, long? before, int limit,
        long now, CancellationToken cancellationToken)
    {
        var messages = await ListAsync(c,
            $"""
            SELECT {RelationalRows.MessageAndMediaColumns}, {RelationalRows.ShownColumnsOf("messages")} FROM messages {MediaRows.JoinOn("messages")}
            WHERE conv = @p0 AND n < @p1 AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > @p4)
              AND (hidden_from IS NULL OR hidden_from <> @p5)
              AND (n > @p3 OR EXISTS (SELECT 1 FROM member_periods p
                   WHERE p.conv = messages.conv AND p.username = @p5 AND messages.n > p.from_n AND messages.n <= p.to_n))
            ORDER BY n DESC LIMIT @p2
            """,
            r => RelationalRows.AsShownTo(RelationalRows.ReadMessage(r, 0), r, 19, viewer), cancellationToken, conv, before ?? long.MaxValue, limit, afterN, now, viewer);
        messages.Reverse();
        return messages;
    }

    /// <param name="joinUsernames">The database's aggregate that joins usernames with spaces.</param>
    public static async Task<IReadOnlyList<ConversationSummary>> SummariesAsync(DbConnection c, string user, bool includeLeft, long now,
        string joinUsernames, CancellationToken cancellationToken)
    {
        var current = await ListAsync(c,
            $"""
            SELECT c.conv, c.is_group, c.name, c.last_n, m.read_n, c.retention_seconds, c.last_ts,
              (SELECT COUNT(*) FROM messages x WHERE x.conv = c.conv AND x.n > m.read_n AND x.sender <> @p0
                 AND (x.hidden_from IS NULL OR x.hidden_from <> @p0) AND x.deleted_at IS NULL AND (x.expires_at IS NULL OR x.expires_at > @p1)),
              (SELECT {joinUsernames} FROM members y WHERE y.conv = c.conv),
              CASE WHEN c.is_group = 1 THEN m.agg_delivered_n
                   ELSE COALESCE((SELECT o.delivered_n FROM members o WHERE o.conv = c.conv AND o.username <> @p0), 0) END,
              CASE WHEN c.is_group = 1 THEN m.agg_read_n
                   ELSE COALESCE((SELECT o.read_n FROM members o WHERE o.conv = c.conv AND o.username <> @p0), 0) END,
              c.description
            FROM members m JOIN conversations c ON c.conv = m.conv
            WHERE m.username = @p0 ORDER BY c.last_ts DESC
            """,
            r => new ConversationSummary(r.GetString(0), r.GetInt64(1) != 0, r.IsDBNull(2) ? null : r.GetString(2), r.GetInt64(3),
                r.GetInt64(4), r.GetInt64(7), r.IsDBNull(5) ? null : r.GetInt64(5), Members(r, 8), r.GetInt64(6),
                PeerDelivered: Math.Max(r.GetInt64(9), r.GetInt64(10)), PeerRead: r.GetInt64(10), Description: GroupDescription(r, 1, 11)),
            cancellationToken, user, now);
        if (!includeLeft) return current;

        // A group left (or removed from) is shown as it was when the user went: up to the last message they saw, all of
        // it read (leaving is done with it), its place in the list by that message's time. Their markers went with
        // their member row, so the ticks of their own messages there are not known any more (0).
        var left = await ListAsync(c,
            $"""
            SELECT c.conv, c.name, p.to_n, c.retention_seconds,
              COALESCE((SELECT x.ts FROM messages x WHERE x.conv = c.conv AND x.n = p.to_n), 0),
              (SELECT {joinUsernames} FROM members y WHERE y.conv = c.conv),
              c.description
            FROM (SELECT conv, MAX(to_n) AS to_n FROM member_periods WHERE username = @p0 GROUP BY conv) p
            JOIN conversations c ON c.conv = p.conv
            WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.conv = p.conv AND m.username = @p0)
            """,
            r => new ConversationSummary(r.GetString(0), IsGroup: true, r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2),
                ReadUpTo: r.GetInt64(2), Unread: 0, r.IsDBNull(3) ? null : r.GetInt64(3), Members(r, 5), r.GetInt64(4),
                PeerDelivered: 0, PeerRead: 0, Left: true, Description: r.IsDBNull(6) ? "" : r.GetString(6)), cancellationToken, user);
        return [.. current.Concat(left).OrderByDescending(s => s.LastActivity)];
    }

    /// <summary>A group's description (<c>""</c> when it has none, a group made before descriptions included); null for a direct conversation.</summary>
    private static string? GroupDescription(DbDataReader r, int isGroupOrdinal, int ordinal) =>
        r.GetInt64(isGroupOrdinal) == 0 ? null : r.IsDBNull(ordinal) ? "" : r.GetString(ordinal);

    private static string[] Members(DbDataReader r, int ordinal)
    {
        var members = r.IsDBNull(ordinal) ? [] : r.GetString(ordinal).Split(' ');
        Array.Sort(members, StringComparer.Ordinal);
        return members;
    }

    public static async Task<(GroupStatus Status, long JoinedN)> GroupMembershipAsync(DbConnection c, string conv, string user,
        CancellationToken cancellationToken)
    {
        if (await ScalarAsync(c, "SELECT joined_n FROM members WHERE conv = @p0 AND username = @p1", cancellationToken, conv, user) is long joinedN)
        {
            return (GroupStatus.Ok, joinedN);
        }
        var exists = await ScalarAsync(c, "SELECT 1 FROM conversations WHERE conv = @p0 AND is_group = 1", cancellationToken, conv);
        return (exists is null ? GroupStatus.GroupNotFound : GroupStatus.Forbidden, 0L);
    }
}
