using Parley.Core.Conversations;
using Parley.Core.Messages;
using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>Edits of messages (v1.1).</summary>
public interface IMessageEditStore
{
    /// <summary>
    /// Replaces the body of message <paramref name="n"/> and sets its edited time to <paramref name="now"/>. NotFound when
    /// <paramref name="editor"/> does not see it (no such message, deleted, expired, not a member); Forbidden when the editor
    /// is not its sender or it was accepted more than <paramref name="window"/> before <paramref name="now"/>. On success an
    /// <c>edited</c> event goes to every member who sees the message.
    /// </summary>
    Task<ChangeResult> EditAsync(ConversationId conv, Username editor, long n, byte[] body, long now, TimeSpan window, CancellationToken cancellationToken);
}
