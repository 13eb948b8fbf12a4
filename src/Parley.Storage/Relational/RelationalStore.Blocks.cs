using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Relational;

// Blocking (v1.1): the block list as rare writes and reads; the send path reads blocks in its own batch (AppendMessageOp).
public abstract partial class RelationalStore : IBlockStore
{
    public Task<bool> BlockAsync(Username user, Username other, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new BlockOp(user.Value, other.Value, now), cancellationToken);

    public Task<bool> UnblockAsync(Username user, Username other, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new UnblockOp(user.Value, other.Value), cancellationToken);

    public Task<IReadOnlyList<string>> GetBlockedAsync(Username user, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            var users = await ReadCommands.ListAsync(c, "SELECT blocked FROM blocks WHERE blocker = @p0", r => r.GetString(0), ct, user.Value);
            // Ordinal order whatever the database's collation.
            users.Sort(StringComparer.Ordinal);
            return users;
        }, cancellationToken);

    public Task<bool> IsBlockedAsync(Username blocker, Username blocked, CancellationToken cancellationToken) =>
        ReadAsync(async (c, ct) => await ReadCommands.ScalarAsync(c, "SELECT 1 FROM blocks WHERE blocker = @p0 AND blocked = @p1", ct,
            blocker.Value, blocked.Value) is not null, cancellationToken);
}
