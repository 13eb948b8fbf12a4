namespace Parley.Storage.Relational;

// Blocking (v1.1): rare writes, each a transaction of its own. A send checks the blocks of its batch in the batch's prefetch,
// so a block committed before a send's batch reads it hides that send.

/// <summary><c>block</c>: stores that <paramref name="user"/> blocks <paramref name="other"/> (idempotent); false when there is no such live user.</summary>
internal sealed class BlockOp(string user, string other, long now) : WriteOp<bool>
{
    protected override async Task<bool> RunAsync(WriteContext ctx)
    {
        if (!await ctx.UserExistsAsync(other)) return false;
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
        await ctx.ExecuteAsync("DELETE FROM blocks WHERE blocker = @p0 AND blocked = @p1", user, other);
        return true;
    }
}
