using Parley.Core.Inbox;
using Parley.Core.Messages;

namespace Parley.Storage.Relational;

/// <summary>
/// <c>react</c> (v1.1), a rare write: sets, replaces or takes back one user's reaction to a message and writes a
/// <c>reaction</c> event to every member who sees the message, or changes nothing and writes nothing. The message row is
/// locked first, so reactions to one message (from any node) and its deletion take turns.
/// </summary>
internal sealed class ReactOp(string conv, string user, long n, string? emoji, long now) : WriteOp<ChangeResult>
{
    protected override async Task<ChangeResult> RunAsync(WriteContext ctx)
    {
        // In a group the reactor must be a current member; a direct conversation's participant is checked by the caller.
        if (Parley.Core.Conversations.ConversationId.IsGroupId(conv)
            && await ctx.ScalarAsync("SELECT 1 FROM members WHERE conv = @p0 AND username = @p1", conv, user) is null)
        {
            return ChangeResult.Fail(ChangeStatus.NotFound);
        }
        var seen = await ctx.ScalarAsync(
            $"SELECT 1 FROM messages m WHERE m.conv = @p0 AND m.n = @p1 AND {MessageVisibility.SeenBy("@p2", "@p3")}{ctx.ForUpdate}", conv, n, user, now);
        if (seen is null) return ChangeResult.Fail(ChangeStatus.NotFound);

        // In a direct conversation, a reaction made while the other participant blocks the reactor is never shown to them (v1.1).
        // The block is read under the conversation's lock, which a block or unblock takes too (after the message's: no
        // write locks a conversation and then a message), so the reaction is ordered against it on every node.
        string? hiddenFrom = null;
        if (Parley.Core.Conversations.ConversationId.TryParseDirect(conv, out var direct) && direct.OtherThan(user) is var other && other != user)
        {
            await BlockOrder.LockRowAsync(ctx, conv);
            if (await ctx.ScalarAsync("SELECT 1 FROM blocks WHERE blocker = @p0 AND blocked = @p1", other, user) is not null) hiddenFrom = other;
        }
        var current = await ctx.ScalarAsync("SELECT emoji FROM reactions WHERE conv = @p0 AND n = @p1 AND username = @p2", conv, n, user) as string;
        if (current == emoji) return new ChangeResult(ChangeStatus.Ok, []);
        if (emoji is null)
        {
            await ctx.ExecuteAsync("DELETE FROM reactions WHERE conv = @p0 AND n = @p1 AND username = @p2", conv, n, user);
        }
        else if (current is null)
        {
            // ord keeps the order reactions were first made; replacing one keeps its place.
            await ctx.ExecuteAsync(
                """
                INSERT INTO reactions(conv, n, username, emoji, ord, created_at, hidden_from)
                VALUES(@p0, @p1, @p2, @p3, (SELECT COALESCE(MAX(ord), 0) + 1 FROM reactions WHERE conv = @p0 AND n = @p1), @p4, @p5)
                """, conv, n, user, emoji, now, hiddenFrom);
        }
        else
        {
            await ctx.ExecuteAsync("UPDATE reactions SET emoji = @p3, hidden_from = @p4 WHERE conv = @p0 AND n = @p1 AND username = @p2", conv, n, user, emoji, hiddenFrom);
        }

        var audience = await ctx.ListAsync(MessageAudience.Sql, r => r.GetString(0), conv, n, user);
        ctx.AppendInboxMany(audience, InboxEntryKind.Reaction, conv, n, user, null, emoji);
        return new ChangeResult(ChangeStatus.Ok, ctx.TakeWrites());
    }
}
