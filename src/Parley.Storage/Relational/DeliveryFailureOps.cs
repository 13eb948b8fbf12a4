using Parley.Core.Inbox;
using Parley.Core.Messages;

namespace Parley.Storage.Relational;

// Messages that will never reach a recipient: pending too long, or the recipient's account deleted.

/// <summary>A message entry still pending in a recipient's inbox, with what its sender's <c>failed</c> event names.</summary>
internal sealed record PendingEntry(string Recipient, long Seq, string Conv, long N, string Sender, string Cid, string Id, long Ts, bool SenderLive);

internal static class PendingEntries
{
    /// <summary>
    /// The recipient's message entries that no device has acked (after <c>delivered_seq</c>), in seq order, that are not
    /// expired at @now: selected as <c>seq, conv, n, sender, cid, id, ts, whether the sender is live</c>. Parameters: @p0 the
    /// recipient, @p1 its delivered_seq, @p2 now, @p3 a limit.
    /// </summary>
    public static readonly string Select =
        $"""
        SELECT i.seq, i.conv, i.n, m.sender, m.cid, m.id, m.ts, s.username
        FROM inbox i JOIN messages m ON m.conv = i.conv AND m.n = i.n LEFT JOIN inbox_heads s ON s.username = m.sender
        WHERE i.username = @p0 AND i.seq > @p1 AND i.kind = {(int)InboxEntryKind.Message} AND i.actor <> @p0
          AND m.deleted_at IS NULL AND (m.expires_at IS NULL OR m.expires_at > @p2)
        ORDER BY i.seq LIMIT @p3
        """;

    public static PendingEntry Read(System.Data.Common.DbDataReader r, string recipient) =>
        new(recipient, r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt64(6), !r.IsDBNull(7));

    /// <summary>
    /// Drops the entry from the recipient's inbox and tells the sender (unless the sender's own account is gone):
    /// <c>{"type":"failed","seq","conv","cid","id","to","reason"}</c>.
    /// </summary>
    public static async Task FailAsync(WriteContext ctx, PendingEntry entry, string reason)
    {
        await ctx.ExecuteAsync("DELETE FROM inbox WHERE username = @p0 AND seq = @p1", entry.Recipient, entry.Seq);
        if (!entry.SenderLive) return;
        var data = InboxData.Object(w =>
        {
            w.WriteString("cid", entry.Cid);
            w.WriteString("id", entry.Id);
            w.WriteString("to", entry.Recipient);
            w.WriteString("reason", reason);
        });
        ctx.AppendInbox(entry.Sender, InboxEntryKind.Failed, entry.Conv, entry.N, entry.Recipient, null, data);
    }
}

/// <summary>
/// One bounded batch of the pending-age sweep. Users with something un-acked are found by comparing their two
/// counters (no index: an index on them would be rewritten by every message); for each, only its oldest pending
/// message is looked at, so a user whose pending messages are all recent costs one short index range. Entries are
/// taken in seq order, which is commit order, and the batch stops at the first one sent after the cutoff.
/// </summary>
internal sealed class FailUndeliveredOp(long sentBefore, long now, int batch) : WriteOp<DeliveryFailures>
{
    protected override async Task<DeliveryFailures> RunAsync(WriteContext ctx)
    {
        var users = await ctx.ListAsync(
            $"""
            SELECT h.username FROM inbox_heads h JOIN inbox_delivered d ON d.username = h.username
            WHERE d.delivered_seq < h.head
              AND (SELECT m.ts FROM inbox i JOIN messages m ON m.conv = i.conv AND m.n = i.n
                   WHERE i.username = h.username AND i.seq > d.delivered_seq AND i.kind = {(int)InboxEntryKind.Message} AND i.actor <> h.username
                     AND m.deleted_at IS NULL AND (m.expires_at IS NULL OR m.expires_at > @p1)
                   ORDER BY i.seq LIMIT 1) <= @p0
            ORDER BY h.username LIMIT @p2
            """, r => r.GetString(0), sentBefore, now, batch);

        var dropped = 0;
        foreach (var user in users)
        {
            // The watermark is locked (as an ack's batch locks it), so an ack of this user waits for the sweep or the sweep for it.
            if (await ctx.ScalarAsync($"SELECT delivered_seq FROM inbox_delivered WHERE username = @p0{ctx.ForUpdate}", user) is not long delivered) continue;
            var entries = new List<PendingEntry>();
            foreach (var entry in await ctx.ListAsync(PendingEntries.Select, r => PendingEntries.Read(r, user), user, delivered, now, batch - dropped))
            {
                if (entry.Ts > sentBefore) break;
                entries.Add(entry);
            }
            foreach (var entry in entries) await PendingEntries.FailAsync(ctx, entry, "expired");
            dropped += entries.Count;
            if (dropped >= batch) break;
        }
        return new DeliveryFailures(dropped, ctx.TakeWrites());
    }
}
