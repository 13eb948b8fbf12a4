using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>
/// Blocks (v1.1): one user's decision to stop receiving what another sends them directly. A block belongs to the account,
/// so every node reads it from the store; the send path checks it inside the send's own batch, not through this interface.
/// </summary>
public interface IBlockStore
{
    /// <summary>
    /// <paramref name="user"/> blocks <paramref name="other"/> (idempotent). False when <paramref name="other"/> has no live
    /// account (nothing is stored then).
    /// </summary>
    Task<bool> BlockAsync(Username user, Username other, long now, CancellationToken cancellationToken);

    /// <summary>
    /// <paramref name="user"/> stops blocking <paramref name="other"/> (idempotent: true also when there was no block). False
    /// when <paramref name="other"/> has no live account.
    /// </summary>
    Task<bool> UnblockAsync(Username user, Username other, CancellationToken cancellationToken);

    /// <summary>The users <paramref name="user"/> blocks, in username order.</summary>
    Task<IReadOnlyList<string>> GetBlockedAsync(Username user, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="blocker"/> blocks <paramref name="blocked"/>.</summary>
    Task<bool> IsBlockedAsync(Username blocker, Username blocked, CancellationToken cancellationToken);
}
