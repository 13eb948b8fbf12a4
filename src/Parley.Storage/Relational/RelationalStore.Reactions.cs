using Parley.Core.Conversations;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Relational;

// Reactions (v1.1): a rare write, and the reads that history adds.
public abstract partial class RelationalStore : IReactionStore
{
    public Task<ChangeResult> ReactAsync(ConversationId conv, Username user, long n, string? emoji, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new ReactOp(conv.Value, user.Value, n, emoji, now), cancellationToken);
}
