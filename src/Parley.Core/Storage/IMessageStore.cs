using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>
/// Conversations, messages, inboxes and markers. Every write is committed before its task completes;
/// writes are batched (group commit) by the implementation.
/// </summary>
public interface IMessageStore
{
    /// <summary>
    /// Queues a message for the next commit. The outer task completes once the message is queued (it waits
    /// while the writer's queue is full: that is the backpressure on readers); the inner one when it is committed.
    /// Messages queued one after another are ordered in that order.
    /// </summary>
    ValueTask<Task<AppendResult>> EnqueueAppendAsync(NewMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// A device has processed its inbox up to <paramref name="seq"/> (clamped to the head). Moves the device's
    /// cursor and, when the user's delivered watermark passes new messages, the user's delivered markers,
    /// writing delivered receipts into the senders' inboxes.
    /// </summary>
    Task<MarkerResult> AckAsync(Username user, string deviceId, long seq, CancellationToken cancellationToken);

    /// <summary>Moves the user's read marker in a conversation (and delivered with it), writing receipts.</summary>
    Task<MarkerResult> MarkReadAsync(Username user, ConversationId conv, long upTo, CancellationToken cancellationToken);

    Task<long> GetInboxHeadAsync(Username user, CancellationToken cancellationToken);

    /// <summary>Inbox entries with <paramref name="afterSeq"/> &lt; seq, ascending, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<InboxEntry>> ReadInboxAsync(Username user, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The newest <paramref name="limit"/> messages before <paramref name="before"/> (or to the end), ascending, that
    /// <paramref name="viewer"/> may see: n &gt; <paramref name="afterN"/> (the current membership), or within one of the
    /// viewer's past memberships of the group.
    /// </summary>
    Task<IReadOnlyList<StoredMessage>> GetHistoryAsync(ConversationId conv, Username viewer, long afterN, long? before, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The conversation's notes (group events, retention changes) placed after a message n with
    /// <paramref name="fromN"/> &lt;= n &lt; <paramref name="beforeN"/>, ascending, that <paramref name="viewer"/> may see (as
    /// for <see cref="GetHistoryAsync"/>, with <paramref name="afterN"/> the current membership's start); the newest
    /// <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<Messages.ConversationNote>> GetNotesAsync(ConversationId conv, Username viewer, long afterN, long fromN, long beforeN, int limit,
        CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="user"/> is a current member of the group (Ok), not a member (Forbidden) or the group
    /// does not exist (GroupNotFound); for a member, the last n before they joined (they see what follows).
    /// </summary>
    Task<(Groups.GroupStatus Status, long JoinedN)> GetGroupMembershipAsync(ConversationId conv, Username user, CancellationToken cancellationToken);

    /// <summary>Whether the conversation holds a message (or ever did: the count of messages never goes back).</summary>
    Task<bool> HasMessagesAsync(ConversationId conv, CancellationToken cancellationToken);

    /// <summary>
    /// The user's conversations, most recently active first; with <paramref name="includeLeft"/>, also the groups the
    /// user has left or was removed from (<see cref="ConversationSummary.Left"/>), each as it was when they went.
    /// </summary>
    Task<IReadOnlyList<ConversationSummary>> GetConversationsAsync(Username user, bool includeLeft, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a conversation's retention (null: permanent; else seconds) for the messages sent after it; a
    /// <c>settings</c> event goes to every member. In a direct conversation either participant may
    /// (<paramref name="participants"/> lists them); in a group, admins only (<paramref name="participants"/> null).
    /// </summary>
    Task<ChangeResult> SetRetentionAsync(ConversationId conv, Username actor, IReadOnlyList<string>? participants, long? ttlSeconds, long now, CancellationToken cancellationToken);

    /// <summary>Deletes message n for everyone (its sender, or a group admin): body gone, a <c>deleted</c> event to every member.</summary>
    Task<ChangeResult> DeleteMessageAsync(ConversationId conv, Username actor, long n, long now, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batch"/> messages expired at <paramref name="now"/>, with their inbox entries; returns how many.</summary>
    Task<int> SweepExpiredAsync(long now, int batch, CancellationToken cancellationToken);

    /// <summary>
    /// Drops up to <paramref name="batch"/> inbox entries of messages sent at or before <paramref name="sentBefore"/>
    /// that no device of their recipient has acked, writing a <c>failed</c> (<c>expired</c>) event for each into its
    /// sender's inbox in the same commit. Messages already expired at <paramref name="now"/> are left to the retention sweep.
    /// </summary>
    Task<DeliveryFailures> FailUndeliveredAsync(long sentBefore, long now, int batch, CancellationToken cancellationToken);

    /// <summary>Whether the store can take writes now.</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
