using Parley.Core.Inbox;
using Parley.Core.Messages;

namespace Parley.Storage.Relational;

/// <summary>
/// <c>edit</c> (v1.1), a rare write: the sender replaces the body of a message it still sees, within the edit window, and an
/// <c>edited</c> event goes to every member who sees the message. The message row is locked first, so edits, reactions and a
/// delete of one message (from any node) take turns. n, id, ts, expiresAt, kind and media stay as they were.
/// </summary>
internal sealed class EditOp(string conv, string editor, long n, byte[] body, long now, long windowMs) : WriteOp<ChangeResult>
{
    protected override async Task<ChangeResult> RunAsync(WriteContext ctx)
    {
        if (Parley.Core.Conversations.ConversationId.IsGroupId(conv)
            && await ctx.ScalarAsync("SELECT 1 FROM members WHERE conv = @p0 AND username = @p1", conv, editor) is null)
        {
            return ChangeResult.Fail(ChangeStatus.NotFound);
        }
        var message = await ctx.FirstAsync(
            $"SELECT m.sender, m.ts FROM messages m WHERE m.conv = @p0 AND m.n = @p1 AND {MessageVisibility.SeenBy("@p2", "@p3")}{ctx.ForUpdate}",
            r => (Sender: r.GetString(0), Ts: r.GetInt64(1)), conv, n, editor, now);
        if (message.Sender is null) return ChangeResult.Fail(ChangeStatus.NotFound);
        if (message.Sender != editor || now - message.Ts > windowMs) return ChangeResult.Fail(ChangeStatus.Forbidden);

        // While the other participant of a direct conversation blocks the editor, they keep seeing the body as it was before
        // (v1.1: a blocked user's edits are never shown); an edit made when not blocked shows itself to everyone again. The
        // block is read under the conversation's lock, which a block or unblock takes too (see ReactOp).
        var blockedBy = false;
        if (Parley.Core.Conversations.ConversationId.TryParseDirect(conv, out var direct) && direct.OtherThan(editor) is var other && other != editor)
        {
            await BlockOrder.LockRowAsync(ctx, conv);
            blockedBy = await ctx.ScalarAsync("SELECT 1 FROM blocks WHERE blocker = @p0 AND blocked = @p1", other, editor) is not null;
        }
        await ctx.ExecuteAsync(blockedBy
            ? """
              UPDATE messages SET shown_body = COALESCE(shown_body, body),
                shown_edited_at = CASE WHEN shown_body IS NULL THEN edited_at ELSE shown_edited_at END, body = @p2, edited_at = @p3
              WHERE conv = @p0 AND n = @p1
              """
            : "UPDATE messages SET body = @p2, edited_at = @p3, shown_body = NULL, shown_edited_at = NULL WHERE conv = @p0 AND n = @p1",
            conv, n, body, now);
        var audience = await ctx.ListAsync(MessageAudience.Sql, r => r.GetString(0), conv, n, editor);
        ctx.AppendInboxMany(audience, InboxEntryKind.Edited, conv, n, editor, null, EditedData.Format(now, body));
        return new ChangeResult(ChangeStatus.Ok, ctx.TakeWrites());
    }
}
