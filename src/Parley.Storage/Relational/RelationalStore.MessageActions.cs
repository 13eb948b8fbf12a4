using Parley.Core.Conversations;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Relational;

// Reactions and edits (v1.1): rare writes, and the reads that history adds.
public abstract partial class RelationalStore : IReactionStore, IMessageEditStore
{
    public Task<ChangeResult> EditAsync(ConversationId conv, Username editor, long n, byte[] body, long now, TimeSpan window, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new EditOp(conv.Value, editor.Value, n, body, now, (long)window.TotalMilliseconds), cancellationToken);

    public Task<ChangeResult> ReactAsync(ConversationId conv, Username user, long n, string? emoji, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new ReactOp(conv.Value, user.Value, n, emoji, now), cancellationToken);
}
