using System.Data.Common;
using Parley.Core.Inbox;
using static Parley.Storage.Relational.ReadCommands;

namespace Parley.Storage.Relational;

/// <summary>The inbox reads, run on a read connection.</summary>
internal static class InboxQueries
{
    public static async Task<long> HeadAsync(DbConnection c, string user, CancellationToken cancellationToken) =>
        await ScalarAsync(c, "SELECT head FROM inbox_heads WHERE username = @p0", cancellationToken, user) is long head ? head : 0L;

    /// <summary>
    /// Entries after <paramref name="afterSeq"/>, ascending; a message entry carries its message unless it was deleted or
    /// has expired at <paramref name="now"/>.
    /// </summary>
    public static async Task<IReadOnlyList<InboxEntry>> ReadAsync(DbConnection c, string user, long afterSeq, int limit, long now,
        CancellationToken cancellationToken) =>
        await ListAsync(c,
            $"""
            SELECT i.seq, i.kind, i.conv, i.n, i.actor, i.status,
              CASE WHEN i.kind = {(int)InboxEntryKind.Edited} AND (SELECT 1 FROM messages x WHERE x.conv = i.conv AND x.n = i.n
                AND x.deleted_at IS NULL AND (x.expires_at IS NULL OR x.expires_at > @p3)) IS NULL THEN NULL ELSE i.data END, m.{RelationalRows.MessageColumns.Replace(", ", ", m.", StringComparison.Ordinal)}, {MediaRows.InfoColumns},
              {RelationalRows.ShownColumnsOf("m")}
            FROM inbox i LEFT JOIN messages m ON i.kind = {(int)InboxEntryKind.Message} AND m.conv = i.conv AND m.n = i.n
              AND m.deleted_at IS NULL AND (m.expires_at IS NULL OR m.expires_at > @p3) {MediaRows.JoinOn("m")}
            WHERE i.username = @p0 AND i.seq > @p1 ORDER BY i.seq LIMIT @p2
            """,
            r =>
            {
                var kind = (InboxEntryKind)r.GetInt64(1);
                var message = kind == InboxEntryKind.Message && !r.IsDBNull(7) ? RelationalRows.AsShownTo(RelationalRows.ReadMessage(r, 7), r, 26, user) : null;
                return new InboxEntry(r.GetInt64(0), kind, r.GetString(2), r.GetInt64(3), r.GetString(4),
                    r.IsDBNull(5) ? null : (ReceiptStatus)r.GetInt64(5), message, r.IsDBNull(6) ? null : r.GetString(6));
            }, cancellationToken, user, afterSeq, limit, now);
}
