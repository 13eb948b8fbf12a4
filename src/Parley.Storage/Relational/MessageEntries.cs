using Parley.Core.Conversations;
using Parley.Core.Inbox;

namespace Parley.Storage.Relational;

/// <summary>
/// Finds and removes a message's entries (its message event and the edit events after it) in its audience's inboxes:
/// deletion for everyone and the retention sweep. Reads already hide a deleted or expired message; this frees the rows
/// (and what they say: who wrote to whom, an edit's body).
/// </summary>
internal static class MessageEntries
{
    /// <summary>
    /// The inbox rows of group conversations (ids <c>g:...</c>). On SQLite only these are indexed by <c>(conv, n)</c>
    /// (the partial index <c>inbox_group_conv_n</c>), and SQLite uses a partial index only for a statement that repeats
    /// its condition word for word.
    /// </summary>
    public const string GroupCondition = "conv LIKE 'g:%'";

    private static readonly string KindsRemoved = $"{(int)InboxEntryKind.Message}, {(int)InboxEntryKind.Edited}";

    /// <summary>Deletes the entries of message <paramref name="n"/> of <paramref name="conv"/>; its row must still exist.</summary>
    public static async Task DeleteAsync(WriteContext ctx, string conv, long n)
    {
        if (ConversationId.IsGroupId(conv))
        {
            await ctx.ExecuteAsync($"DELETE FROM inbox WHERE conv = @p0 AND n = @p1 AND {GroupCondition} AND kind IN ({KindsRemoved})", conv, n);
            return;
        }
        if (!ctx.FindsDirectEntriesBySeq)
        {
            await ctx.ExecuteAsync($"DELETE FROM inbox WHERE conv = @p0 AND n = @p1 AND kind IN ({KindsRemoved})", conv, n);
            return;
        }
        // A direct message: the two participants' rows by their seqs, kept with the message (an index on the inbox's
        // (conv, n) would cost every message a few pages). Its edit events, if it was edited, come after it in each inbox.
        var message = await ctx.FirstAsync("SELECT sender, sender_seq, recipient_seq, edited_at IS NOT NULL FROM messages WHERE conv = @p0 AND n = @p1",
            r => (Sender: r.GetString(0), SenderSeq: r.GetInt64(1), RecipientSeq: r.IsDBNull(2) ? (long?)null : r.GetInt64(2), Edited: r.GetInt64(3) != 0),
            conv, n);
        if (message.Sender is null) return;
        var participants = await ctx.ListAsync("SELECT username FROM members WHERE conv = @p0", r => r.GetString(0), conv);
        foreach (var user in participants)
        {
            var seq = user == message.Sender ? message.SenderSeq : message.RecipientSeq;
            // No row of the message (a recipient who blocks its sender gets none): only its edits, if any, to look for.
            if (seq is null && !message.Edited) continue;
            await ctx.ExecuteAsync($"DELETE FROM inbox WHERE username = @p0 AND seq >= @p1 AND seq <= @p2 AND conv = @p3 AND n = @p4 AND kind IN ({KindsRemoved})",
                user, seq ?? 0L, message.Edited ? long.MaxValue : seq, conv, n);
        }
    }
}
