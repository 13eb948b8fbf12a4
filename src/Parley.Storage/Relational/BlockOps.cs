using Parley.Core.Conversations;

namespace Parley.Storage.Relational;

// Blocking (v1.1): rare writes, each a transaction of its own. A send reads the blocks of its batch in the batch's
// prefetch and, on PostgreSQL, re-checks them at its flush under the direct conversation's row lock; a block or unblock
// takes that same lock before it commits. So a send and a block of its pair are ordered on every node: a send that
// commits after the block is hidden from the blocker, one that committed before is not (and the block waits for it).
// On SQLite the one writer already runs them one after the other, in queue order.

/// <summary><c>block</c>: stores that <paramref name="user"/> blocks <paramref name="other"/> (idempotent); false when there is no such live user.</summary>
internal sealed class BlockOp(string user, string other, long now) : WriteOp<bool>
{
    protected override async Task<bool> RunAsync(WriteContext ctx)
    {
        if (!await ctx.UserExistsAsync(other)) return false;
        await BlockOrder.LockConversationAsync(ctx, user, other, now);
        await ctx.ExecuteAsync("INSERT INTO blocks(blocker, blocked, since) VALUES(@p0, @p1, @p2) ON CONFLICT DO NOTHING", user, other, now);
        return true;
    }
}

/// <summary><c>unblock</c>: ends the block (idempotent); what was hidden stays hidden. False when there is no such live user.</summary>
internal sealed class UnblockOp(string user, string other) : WriteOp<bool>
{
    protected override async Task<bool> RunAsync(WriteContext ctx)
    {
        if (!await ctx.UserExistsAsync(other)) return false;
        // A block made before blocks took the conversation's lock may have no conversation row: it is created with the
        // block's time (nothing is created when there is no block to end).
        var conv = ConversationId.Direct(user, other).Value;
        await ctx.ExecuteAsync(
            """
            INSERT INTO conversations(conv, is_group, name, last_n, last_ts, retention_seconds, created_at)
            SELECT @p0, 0, NULL, 0, b.since, NULL, b.since FROM blocks b WHERE b.blocker = @p1 AND b.blocked = @p2
            ON CONFLICT(conv) DO NOTHING
            """, conv, user, other);
        await BlockOrder.LockRowAsync(ctx, conv);
        await ctx.ExecuteAsync("DELETE FROM blocks WHERE blocker = @p0 AND blocked = @p1", user, other);
        return true;
    }
}

/// <summary>How a block or unblock is ordered against the sends of its pair.</summary>
internal static class BlockOrder
{
    /// <summary>
    /// Locks the direct conversation of <paramref name="user"/> and <paramref name="other"/> until the transaction ends,
    /// creating its row (no members, no messages: it is not listed anywhere until its first message) when it has none. A
    /// send's flush locks the same row before it re-checks the blocks it read, so it either commits before this change
    /// (and the change waits for it) or sees it. The insert waits for another transaction inserting the same row (a first
    /// message being flushed on another node), which a lock of a row not yet committed would not. Conversations come
    /// third in the global lock order; the op locks nothing before it.
    /// </summary>
    public static async Task LockConversationAsync(WriteContext ctx, string user, string other, long now)
    {
        var conv = ConversationId.Direct(user, other).Value;
        await ctx.ExecuteAsync(
            """
            INSERT INTO conversations(conv, is_group, name, last_n, last_ts, retention_seconds, created_at) VALUES(@p0, 0, NULL, 0, @p1, NULL, @p1)
            ON CONFLICT(conv) DO NOTHING
            """, conv, now);
        await LockRowAsync(ctx, conv);
    }

    /// <summary>Locks the conversation's row, if it has one, until the transaction ends (PostgreSQL; SQLite has one writer).</summary>
    public static Task<object?> LockRowAsync(WriteContext ctx, string conv) =>
        ctx.ScalarAsync($"SELECT 1 FROM conversations WHERE conv = @p0{ctx.ForUpdate}", conv);
}
