using Parley.Core.Conversations;
using Parley.Core.Messages;
using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>Reactions to messages (v1.1): one per user and message, kept in the order they were first made.</summary>
public interface IReactionStore
{
    /// <summary>
    /// Sets, replaces or (<paramref name="emoji"/> null) takes back <paramref name="user"/>'s reaction to message
    /// <paramref name="n"/>, which the user must see (a participant or a member who saw it sent; not deleted, not expired):
    /// else NotFound. When something changed, a <c>reaction</c> event goes to every member's inbox; when nothing did
    /// (the same emoji again, nothing to take back), Ok with no writes.
    /// </summary>
    Task<ChangeResult> ReactAsync(ConversationId conv, Username user, long n, string? emoji, long now, CancellationToken cancellationToken);
}
